package dev.ecubridge.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** Subscribes to everything on the test broker and keeps what arrives. */
final class MqttRecorder implements AutoCloseable {

    record Received(String topic, String payload, boolean retained, Long expiry) {
    }

    private final MqttClient client;
    final List<Received> messages = new CopyOnWriteArrayList<>();
    final Map<String, Received> last = new ConcurrentHashMap<>();

    MqttRecorder(String url, String filter) throws Exception {
        this(url, filter, null, null);
    }

    MqttRecorder(String url, String filter, String user, String password) throws Exception {
        this(url, filter, user, password, null);
    }

    MqttRecorder(String url, String filter, String user, String password, java.util.Properties ssl) throws Exception {
        client = new MqttClient(url, "recorder-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        if (ssl != null) {
            options.setSSLProperties(ssl);
        }
        options.setCleanStart(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        client.connect(options);
        // the (String, int, listener) overload of Paho 1.2.5 recurses forever; the array form works
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)},
                new IMqttMessageListener[] {this::record});
    }

    private void record(String topic, MqttMessage message) {
        Received r = new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained(),
                message.getProperties() == null ? null : message.getProperties().getMessageExpiryInterval());
        messages.add(r);
        last.put(topic, r);
    }

    void publish(String topic, String payload) throws Exception {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    String payload(String topic) {
        Received r = last.get(topic);
        return r == null ? null : r.payload();
    }

    @Override
    public void close() throws Exception {
        client.disconnect();
        client.close();
    }
}
