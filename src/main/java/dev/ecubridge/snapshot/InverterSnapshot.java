package dev.ecubridge.snapshot;

import java.time.Instant;
import java.util.List;

/**
 * One inverter in a {@link Snapshot}. When {@code online} is false every measurement is null ("no data"): the ECU
 * repeats an offline inverter's last numbers, which are not measurements (with {@code ecubridge.night=zero} the
 * channels' power is 0 instead). A value outside its physical range is null too. The energy counters are the bridge's
 * own, integrated from the channel power, and known also while the inverter is offline.
 *
 * @param signal raw ZigBee level 0..255, null when offline or when the signal query gave nothing for this inverter
 */
public record InverterSnapshot(String ecuId, Instant time, String uid, String model, String typeCode, boolean online,
                               Double frequencyHz, Integer temperatureC, Integer signal, List<Channel> channels) {

    public InverterSnapshot {
        channels = List.copyOf(channels);
    }

    /**
     * @param voltageV     the AC voltage the record pairs with this channel; null when no data
     * @param pairsVoltage whether the inverter's record layout pairs an AC voltage with this channel (online or not)
     * @param todayKwh     energy since local midnight, integrated by the bridge
     * @param lifetimeKwh  energy since the bridge first saw the channel
     */
    public record Channel(int channel, Integer powerW, Integer voltageV, boolean pairsVoltage, Double todayKwh,
                          Double lifetimeKwh) {
    }

    /** Sum of the channels' power; null when a channel's power is no data (always when offline, unless night=zero). */
    public Integer powerW() {
        return sum(channels.stream().map(Channel::powerW).toList(), Integer::sum);
    }

    public Double todayKwh() {
        return kwh(sum(channels.stream().map(Channel::todayKwh).toList(), Double::sum));
    }

    public Double lifetimeKwh() {
        return kwh(sum(channels.stream().map(Channel::lifetimeKwh).toList(), Double::sum));
    }

    public Integer signalPercent() {
        return signal == null ? null : signal * 100 / 255;
    }

    private static <T> T sum(List<T> values, java.util.function.BinaryOperator<T> plus) {
        if (values.isEmpty() || values.contains(null)) {
            return null;
        }
        return values.stream().reduce(plus).orElseThrow();
    }

    private static Double kwh(Double value) {
        return value == null ? null : Math.round(value * 1000) / 1000.0;
    }
}
