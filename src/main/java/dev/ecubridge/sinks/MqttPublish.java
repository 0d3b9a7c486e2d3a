package dev.ecubridge.sinks;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One MQTT message to publish.
 *
 * @param payload      empty to clear a retained value ("no data")
 * @param expirySeconds MQTT 5 message expiry for live values, null for none
 */
public record MqttPublish(String topic, String payload, boolean retained, Long expirySeconds) {

    public MqttProperties properties() {
        MqttProperties p = new MqttProperties();
        if (expirySeconds != null) {
            p.setMessageExpiryInterval(expirySeconds);
        }
        return p;
    }
}
