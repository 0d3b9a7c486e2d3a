package dev.ecubridge.app;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/** An MQTT 5 broker in this JVM (ActiveMQ Artemis, no persistence, anonymous): for {@code demo} and the tests. */
public final class EmbeddedMqttBroker implements AutoCloseable {

    private final EmbeddedActiveMQ broker;
    private final String host;
    private final int port;

    private EmbeddedMqttBroker(EmbeddedActiveMQ broker, String host, int port) {
        this.broker = broker;
        this.host = host;
        this.port = port;
    }

    public static EmbeddedMqttBroker start(String host, int port, Path workDirectory) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalDirectory(workDirectory.resolve("journal").toString())
                .setBindingsDirectory(workDirectory.resolve("bindings").toString())
                .setLargeMessagesDirectory(workDirectory.resolve("large").toString())
                .setPagingDirectory(workDirectory.resolve("paging").toString())
                .addAcceptorConfiguration("mqtt", "tcp://" + host + ":" + port + "?protocols=MQTT");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        return new EmbeddedMqttBroker(broker, host, port);
    }

    public String url() {
        return "tcp://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
