package dev.ecubridge.sinks;

import dev.ecubridge.exchange.ExchangeProperties;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.poll.PollCycle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do about an ECU that stopped answering (ECU-R and ECU-B have no software reboot; users put them on a smart
 * plug): call a webhook with a JSON description, and/or publish an MQTT command. Which ECU and why is in the body.
 */
public final class RecoveryHook {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryHook.class);

    private final String webhookUrl;
    private final String mqttTopic;
    private final String mqttPayload;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public RecoveryHook(String webhookUrl, String mqttTopic, String mqttPayload) {
        this.webhookUrl = webhookUrl;
        this.mqttTopic = mqttTopic;
        this.mqttPayload = mqttPayload;
    }

    public boolean hasWebhook() {
        return !webhookUrl.isEmpty();
    }

    public boolean hasMqttCommand() {
        return !mqttTopic.isEmpty();
    }

    /** POSTs {"ecu","host","ecu_id","failures_in_a_row","last_failure"} to the webhook; logs the outcome either way. */
    public void webhook(Exchange exchange) {
        ObjectNode body = describe(exchange.getProperty(ExchangeProperties.RECOVERY, PollCycle.Recovery.class));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(webhookUrl))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            LOG.warn("ECU {}: recovery webhook answered {}", body.get("ecu").asText(), response.statusCode());
        } catch (Exception e) {
            LOG.warn("ECU {}: recovery webhook failed: {}", body.get("ecu").asText(), e.toString());
        }
    }

    /** The body becomes the MQTT command: the configured payload, or the JSON description when none is set. */
    public void mqttCommand(Exchange exchange) {
        ObjectNode body = describe(exchange.getProperty(ExchangeProperties.RECOVERY, PollCycle.Recovery.class));
        exchange.getMessage().setBody(new MqttPublish(mqttTopic, mqttPayload.isEmpty() ? body.toString() : mqttPayload,
                false, null, Instant.now()));
    }

    private static ObjectNode describe(PollCycle.Recovery r) {
        ObjectNode o = SnapshotJson.MAPPER.createObjectNode();
        o.put("ecu", r.ecu());
        o.put("host", r.host());
        o.put("ecu_id", r.ecuId());
        o.put("failures_in_a_row", r.failuresInARow());
        o.put("last_failure", r.lastFailure());
        return o;
    }
}
