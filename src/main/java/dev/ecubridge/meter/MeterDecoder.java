package dev.ecubridge.meter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.poll.Causes;
import dev.ecubridge.meter.MeterFailure.Kind;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes the answer of {@code GET /index.php/meter/old_meter_power_graph}:
 * {@code {"power1":[{"time":<ms>,"powerA":..,"powerB":..,"powerC":..},..],"power2":[..],"today_energy":".."}}, where
 * {@code power1} is production and {@code power2} the grid (positive = import). A point needs both series at its time
 * stamp. Whatever else comes back is a typed {@link MeterFailure}; nothing here throws.
 */
public final class MeterDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** More than any house connection carries per phase: a value beyond is not a measurement. */
    static final int MAX_WATTS_PER_PHASE = 100_000;

    private MeterDecoder() {
    }

    public static MeterResult decode(int status, String body) {
        if (status == 404) {
            return new MeterFailure(Kind.NOT_FOUND, "HTTP 404: this firmware has no meter page, or no meter is set up");
        }
        if (status < 200 || status > 299) {
            return new MeterFailure(Kind.HTTP_ERROR, "HTTP " + status);
        }
        String text = body == null ? "" : body.strip();
        if (text.isEmpty() || (!text.startsWith("{") && text.toLowerCase(Locale.ROOT).contains("no data"))) {
            return new MeterFailure(Kind.NO_DATA, text.isEmpty() ? "empty answer" : "the ECU says \"No Data\"");
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return malformed("not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject() || !json.path("power1").isArray() || !json.path("power2").isArray()) {
            return malformed("no power1 and power2 series");
        }
        Map<Long, Phases> production = new TreeMap<>();
        Map<Long, Phases> grid = new TreeMap<>();
        String problem = series(json.get("power1"), production);
        if (problem == null) {
            problem = series(json.get("power2"), grid);
        }
        if (problem != null) {
            return malformed(problem);
        }
        if (production.isEmpty() && grid.isEmpty()) {
            return new MeterFailure(Kind.NO_DATA, "empty series (the first minutes of a day)");
        }
        List<MeterPoint> points = new ArrayList<>();
        production.forEach((ms, p) -> {
            Phases g = grid.get(ms);
            if (g != null) {
                points.add(new MeterPoint(Instant.ofEpochMilli(ms), p, g));
            }
        });
        if (points.isEmpty()) {
            return malformed("power1 and power2 share no time stamp");
        }
        return new MeterReply(points, todayKwh(json.get("today_energy")));
    }

    /** A failed request: the exception the HTTP client gave, as a kind. */
    public static MeterFailure failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException) {
                return new MeterFailure(Kind.UNREACHABLE, Causes.root(t));
            }
            if (c.getClass().getSimpleName().contains("Timeout")) {
                return new MeterFailure(Kind.TIMEOUT, Causes.root(t));
            }
        }
        return new MeterFailure(Kind.HTTP_ERROR, Causes.root(t));
    }

    /** Reads one series into {@code out} by time; the problem, or null. */
    private static String series(JsonNode array, Map<Long, Phases> out) {
        for (JsonNode point : array) {
            Long time = number(point.get("time"));
            Long a = number(point.get("powerA"));
            Long b = number(point.get("powerB"));
            Long c = number(point.get("powerC"));
            if (time == null || time <= 0 || a == null || b == null || c == null) {
                return "a point without a time or a phase: " + point;
            }
            for (long w : new long[] {a, b, c}) {
                if (Math.abs(w) > MAX_WATTS_PER_PHASE) {
                    return "a power of " + w + " W: " + point;
                }
            }
            out.put(time, new Phases((int) (long) a, (int) (long) b, (int) (long) c));
        }
        return null;
    }

    /** A whole number, also when the firmware sends it as text; null otherwise. */
    private static Long number(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return Math.round(node.asDouble());
        }
        try {
            return Math.round(Double.parseDouble(node.asText().trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double todayKwh(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            double v = node.isNumber() ? node.asDouble() : Double.parseDouble(node.asText().trim());
            return v >= 0 && Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static MeterFailure malformed(String why) {
        return new MeterFailure(Kind.MALFORMED, why);
    }
}
