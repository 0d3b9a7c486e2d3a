package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ecubridge.snapshot.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** HTTP: each snapshot as its JSON (the line of the snapshot files), with the configured headers and auth. */
public final class HttpFormat implements SinkFormat {

    private final Map<String, String> headers = new LinkedHashMap<>();

    /**
     * @param headers "Name: value" pairs separated by '|'
     * @param username with password: basic auth; empty for none
     * @param bearerToken empty for none
     */
    public HttpFormat(String headers, String username, String password, String bearerToken) {
        for (String pair : headers.split("\\|")) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                this.headers.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
            }
        }
        if (!username.isEmpty()) {
            this.headers.put("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } else if (!bearerToken.isEmpty()) {
            this.headers.put("Authorization", "Bearer " + bearerToken);
        }
        this.headers.put("Content-Type", "application/json");
    }

    /** Why the headers setting is wrong, or null. */
    public static String problem(String headers) {
        for (String pair : headers.split("\\|")) {
            if (!pair.isBlank() && pair.indexOf(':') <= 0) {
                return "'" + pair.trim() + "' is not Name: value";
            }
        }
        return null;
    }

    @Override
    public List<?> deliveries(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof Snapshot s ? List.of(SnapshotJson.line(s).strip()) : List.of();
    }

    @Override
    public JsonNode encode(Object delivery) {
        return TextNode.valueOf((String) delivery);
    }

    @Override
    public Object decode(JsonNode stored) {
        return stored.asText();
    }

    /** Only the configured headers go to the server, none of the exchange's own. */
    @Override
    public void beforeSend(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        headers.forEach(exchange.getMessage()::setHeader);
    }
}
