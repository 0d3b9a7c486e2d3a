package dev.ecubridge.snapshot;

import dev.ecubridge.protocol.InfoReply;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One poll cycle of one ECU, as the sinks publish it: the ECU's totals and one {@link InverterSnapshot} per
 * inverter, stamped with the ECU's own data time. Values a sink must not publish are null: an offline inverter's
 * stale telemetry, or an energy counter the quality gate rejected.
 *
 * @param time          the ECU's data time stamp as an instant (read in the configured zone)
 * @param localTime     the same, as the ECU wrote it
 * @param powerW        the ECU's current power; null when above what its inverters can deliver
 * @param todayKwh      null when rejected (e.g. dropped mid-day)
 * @param lifetimeKwh   null when rejected (0, or lower than the last good value)
 * @param frames        the raw replies of this cycle (info, realtime, signal), for captures
 */
public record Snapshot(String ecuId, String ecuModel, String firmware, Instant time, LocalDateTime localTime,
                       Integer powerW, Double todayKwh, Double lifetimeKwh, int inverterCount, int invertersOnline,
                       List<InverterSnapshot> inverters, InfoReply info, List<byte[]> frames) {

    public Snapshot {
        inverters = List.copyOf(inverters);
        frames = List.copyOf(frames);
    }

    /**
     * The log line of a published snapshot. As {@code toString}, so the route's {@code log} reads it as {@code ${body}}:
     * an OGNL expression like {@code ${body.powerW}} makes a bean expression per evaluation, and a fleet logs thousands
     * of snapshots a minute.
     */
    @Override
    public String toString() {
        return "ECU " + ecuId + " at " + localTime + ": " + powerW + " W, today " + todayKwh + " kWh, lifetime " + lifetimeKwh
                + " kWh, " + invertersOnline + "/" + inverterCount + " inverters online";
    }
}
