package dev.ecubridge.sinks;

import dev.ecubridge.exchange.Headers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ecubridge.meter.MeterReading;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * MQTT: a snapshot becomes its ECU's and inverters' messages (one delivery per message, each waiting for its PUBACK);
 * the other events say what they are in the {@link Headers#MQTT_EVENT} header; a ready message is sent as it is.
 */
public final class MqttFormat implements SinkFormat {

    /** Header: ecu-unavailable (body: ECU id), meter (body: readings), meter-unavailable (body: meter), discovery. */

    /**
     * MQTT 5 reason codes that refuse the message itself, 0x87, 0x90, 0x95, 0x97, 0x99, in decimal: the list that
     * routes/sink-types.yaml tests with the simple language's {@code in}.
     */
    public static final String REFUSED = "135,144,149,151,153";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private final MqttMessages messages;

    public MqttFormat(MqttMessages messages) {
        this.messages = messages;
    }

    public MqttMessages messages() {
        return messages;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<?> deliveries(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        String event = exchange.getMessage().getHeader(Headers.MQTT_EVENT, String.class);
        if (event != null) {
            return switch (event) {
                case "ecu-unavailable" -> messages.ecuUnavailable((String) body);
                case "meter" -> messages.forMeter((List<MeterReading>) body);
                case "meter-unavailable" -> messages.meterUnavailable((String) body);
                case "discovery" -> messages.discoveryAll();
                default -> throw new IllegalArgumentException("no MQTT event " + event);
            };
        }
        if (body instanceof MqttPublish message) {
            return List.of(message);
        }
        if (body instanceof Snapshot s) {
            List<MqttPublish> out = new ArrayList<>(messages.forEcu(s));
            for (InverterSnapshot i : s.inverters()) {
                out.addAll(messages.forInverter(i));
            }
            return out;
        }
        return List.of();
    }

    @Override
    public JsonNode encode(Object delivery) {
        return JSON.valueToTree(delivery);
    }

    @Override
    public Object decode(JsonNode stored) {
        return JSON.convertValue(stored, MqttPublish.class);
    }
}
