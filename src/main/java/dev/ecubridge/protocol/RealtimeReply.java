package dev.ecubridge.protocol;

import java.time.LocalDateTime;
import java.util.List;

/**
 * {@code 0002} realtime inverter data (spec §5).
 *
 * @param timestamp the ECU's own time of its last inverter poll (local to the ECU), null if not valid BCD
 */
public record RealtimeReply(LocalDateTime timestamp, List<InverterReading> inverters) implements EcuReply {

    public RealtimeReply {
        inverters = List.copyOf(inverters);
    }

    @Override
    public EcuCommand command() {
        return EcuCommand.REALTIME;
    }

    /** What the ECU reports as current power: the sum of the online inverters' channels. */
    public int onlinePowerW() {
        int sum = 0;
        for (InverterReading r : inverters) {
            if (r.online()) {
                sum += r.totalPowerW();
            }
        }
        return sum;
    }
}
