package dev.ecubridge.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.poll.EcuHealth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One ECU's state as it travels to its next owner, the value of its record in the state topic (key: its name, as in
 * the targets topic):
 * <pre>
 * {"last_poll":"2026-06-21T10:07:03.120Z",
 *  "backoff":{"ecu_id":"216000000001","failures_in_a_row":0,"last_failure":null,"last_success":"...","next_poll":null},
 *  "gate":{ ...what the gate saves of the ECU in data/state/gate.jsonl... }}
 * </pre>
 * {@code gate} is null until the gate has seen a snapshot of the ECU; {@code last_poll} is when its last cycle's
 * first request went out.
 */
public record EcuState(Instant lastPoll, EcuHealth.Backoff backoff, JsonNode gate) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("last_poll", text(lastPoll));
        ObjectNode b = o.putObject("backoff");
        b.put("ecu_id", backoff.ecuId());
        b.put("failures_in_a_row", backoff.failuresInARow());
        b.put("last_failure", backoff.lastFailure());
        b.put("last_success", text(backoff.lastSuccess()));
        b.put("next_poll", text(backoff.nextPoll()));
        o.set("gate", gate);
        return o.toString();
    }

    public static EcuState parse(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            JsonNode b = o.path("backoff");
            return new EcuState(time(o, "last_poll"), new EcuHealth.Backoff(text(b, "ecu_id"),
                    b.path("failures_in_a_row").asInt(0), text(b, "last_failure"), time(b, "last_success"),
                    time(b, "next_poll")), o.hasNonNull("gate") ? o.get("gate") : null);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("not an ECU state: " + json, e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The gate's part as the gate saves it ({@code SnapshotAssembler.state}); null for none. */
    public static JsonNode gate(byte[] saved) {
        try {
            return saved == null ? null : JSON.readTree(saved);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String text(JsonNode o, String field) {
        return o.hasNonNull(field) ? o.get(field).asText() : null;
    }

    private static Instant time(JsonNode o, String field) {
        return o.hasNonNull(field) ? Instant.parse(o.get(field).asText()) : null;
    }
}
