package dev.ecubridge.sinks;

import java.time.Duration;
import java.time.Instant;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One MQTT message to publish.
 *
 * @param payload       empty to clear a retained value ("no data")
 * @param expirySeconds MQTT 5 message expiry for live values, null for none
 * @param created       when the value was made: a message replayed from the outbox expires that much sooner
 */
public record MqttPublish(String topic, String payload, boolean retained, Long expirySeconds, Instant created) {

    public MqttProperties properties() {
        MqttProperties p = new MqttProperties();
        if (expirySeconds != null) {
            long age = Math.max(0, Duration.between(created, Instant.now()).toSeconds());
            p.setMessageExpiryInterval(Math.max(1, expirySeconds - age));
        }
        return p;
    }
}
