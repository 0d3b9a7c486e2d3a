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
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * MQTT: a snapshot becomes its ECU's and inverters' messages (one delivery per message, each waiting for its PUBACK);
 * the other events say what they are in the {@link Headers#MQTT_EVENT} header; a ready message is sent as it is.
 */
public final class MqttFormat implements SinkFormat {

    /** Header: ecu-unavailable (body: ECU id), meter (body: readings), meter-unavailable (body: meter), discovery. */

    /**
     * MQTT 5 reason codes that refuse the message itself: not authorized, topic name invalid, packet too large, quota
     * exceeded, payload format invalid. Waiting would not help: the delivery is dropped ({@link RefusedDelivery}).
     */
    static final Map<Integer, String> REFUSED = Map.of(0x87, "not authorized", 0x90, "topic name invalid",
            0x95, "packet too large", 0x97, "quota exceeded", 0x99, "payload format invalid");

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
