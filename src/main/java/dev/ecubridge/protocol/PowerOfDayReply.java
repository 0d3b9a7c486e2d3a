package dev.ecubridge.protocol;

import java.time.LocalTime;
import java.util.List;

/** {@code 0003} power curve of one day (spec §7). */
public record PowerOfDayReply(List<Sample> samples) implements EcuReply {

    public PowerOfDayReply {
        samples = List.copyOf(samples);
    }

    @Override
    public EcuCommand command() {
        return EcuCommand.POWER_OF_DAY;
    }

    /** @param time null where the BCD time is not valid */
    public record Sample(LocalTime time, int powerW) {
    }
}
