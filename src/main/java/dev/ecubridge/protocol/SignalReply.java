package dev.ecubridge.protocol;

import java.util.List;

/** {@code 0030} ZigBee signal strength per inverter (spec §6). */
public record SignalReply(List<Entry> inverters) implements EcuReply {

    public SignalReply {
        inverters = List.copyOf(inverters);
    }

    @Override
    public EcuCommand command() {
        return EcuCommand.SIGNAL;
    }

    /** @param signal the raw byte 0..255, higher is better, 0 for offline or never seen */
    public record Entry(String uid, int signal) {

        /** The percentage other tools show (raw / 255 * 100, truncated). */
        public int signalPercent() {
            return signal * 100 / 255;
        }
    }
}
