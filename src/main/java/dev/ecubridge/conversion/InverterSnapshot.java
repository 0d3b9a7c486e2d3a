package dev.ecubridge.conversion;

import java.time.Instant;
import java.util.List;

/**
 * One inverter in a {@link Snapshot}. When {@code online} is false every measurement is null ("no data"): the ECU
 * repeats an offline inverter's last numbers, which are not measurements. A value outside its physical range is null
 * too.
 *
 * @param signal raw ZigBee level 0..255, null when the signal query gave nothing for this inverter
 */
public record InverterSnapshot(String ecuId, Instant time, String uid, String model, String typeCode, boolean online,
                               Double frequencyHz, Integer temperatureC, Integer signal, List<Channel> channels) {

    public InverterSnapshot {
        channels = List.copyOf(channels);
    }

    /** @param voltageV the AC voltage the record pairs with this channel, null where it pairs none */
    public record Channel(int channel, Integer powerW, Integer voltageV) {
    }

    /** Sum of the channels' power; null when offline or when a channel's power is no data. */
    public Integer powerW() {
        if (!online) {
            return null;
        }
        int sum = 0;
        for (Channel c : channels) {
            if (c.powerW() == null) {
                return null;
            }
            sum += c.powerW();
        }
        return sum;
    }

    public Integer signalPercent() {
        return signal == null ? null : signal * 100 / 255;
    }
}
