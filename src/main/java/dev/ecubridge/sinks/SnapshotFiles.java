package dev.ecubridge.sinks;

import dev.ecubridge.exchange.Headers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.history.HistoryDay;
import dev.ecubridge.protocol.FrameFiles;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import org.apache.camel.Exchange;

/**
 * The file sink's lines: a daily JSON-lines file of snapshots per ECU, and one of raw captures that
 * {@code simulate --replay} serves back and {@code decode} reads (the {@code frame} field, in hex).
 */
public final class SnapshotFiles {

    /**
     * Body: the snapshot line; headers {@link Headers#ECU_ID} and {@link Headers#DAY} (the ECU-local date) name the file.
     */
    public void snapshotLine(Exchange exchange) {
        Snapshot s = exchange.getMessage().getBody(Snapshot.class);
        names(exchange, s.ecuId(), s.localTime().toLocalDate().toString());
        exchange.getMessage().setBody(SnapshotJson.line(s));
    }

    private static void names(Exchange exchange, String ecuId, String day) {
        exchange.getMessage().setHeader(Headers.ECU_ID, ecuId);
        exchange.getMessage().setHeader(Headers.DAY, day);
    }

    /**
     * Body: one line per history point (a day's energy as one more line), each with {@code "history": true}; headers
     * {@link Headers#ECU_ID} and {@link Headers#DAY} (the day) name the file.
     */
    public void historyLines(Exchange exchange) {
        HistoryDay day = exchange.getMessage().getBody(HistoryDay.class);
        StringBuilder lines = new StringBuilder();
        for (HistoryDay.Power p : day.power()) {
            lines.append(historyLine(day, p.time()).put("power_w", p.watts())).append('\n');
        }
        if (day.energyKwh() != null) {
            lines.append(historyLine(day, day.energyTime()).put("today_kwh", day.energyKwh())).append('\n');
        }
        names(exchange, day.ecuId(), day.date().toString());
        exchange.getMessage().setBody(lines.toString());
    }

    private static ObjectNode historyLine(HistoryDay day, LocalTime time) {
        ObjectNode o = SnapshotJson.MAPPER.createObjectNode();
        o.put("ecu_id", day.ecuId());
        o.put("ecu_model", day.ecuModel());
        o.put("time", day.instant(time).toString());
        o.put("local_time", day.localTime(time).toString());
        o.put("history", true);
        return o;
    }

    /** Body: one capture line per raw reply of the cycle. */
    public void captureLines(Exchange exchange) {
        Snapshot s = exchange.getMessage().getBody(Snapshot.class);
        StringBuilder lines = new StringBuilder();
        for (byte[] frame : s.frames()) {
            ObjectNode o = SnapshotJson.MAPPER.createObjectNode();
            o.put("time", s.time().toString());
            o.put("ecu_id", s.ecuId());
            o.put("command", frame.length >= 13 ? new String(frame, 9, 4, StandardCharsets.US_ASCII) : null);
            o.put("frame", FrameFiles.toHex(frame));
            lines.append(o).append('\n');
        }
        names(exchange, s.ecuId(), s.localTime().toLocalDate().toString());
        exchange.getMessage().setBody(lines.toString());
    }
}
