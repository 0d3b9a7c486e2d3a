package dev.ecubridge.app;

import java.nio.file.Path;
import java.util.Set;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/** An MQTT 5 broker in this JVM (ActiveMQ Artemis, no persistence, anonymous): for {@code demo} and the tests. */
public final class EmbeddedMqttBroker implements AutoCloseable {

    private final EmbeddedActiveMQ broker;
    private final String url;
    private final int port;

    private EmbeddedMqttBroker(EmbeddedActiveMQ broker, String url, int port) {
        this.broker = broker;
        this.url = url;
        this.port = port;
    }

    public static EmbeddedMqttBroker start(String host, int port, Path workDirectory) throws Exception {
        return start(host, port, workDirectory, null, null);
    }

    /** With {@code user} non-null, only that user and password may connect (for tests of MQTT credentials). */
    public static EmbeddedMqttBroker start(String host, int port, Path workDirectory, String user, String password) throws Exception {
        return start(host, port, workDirectory, user, password, null, null);
    }

    /** With {@code keyStore} non-null, the broker speaks MQTT over TLS (ssl://) with that PKCS12 key store. */
    public static EmbeddedMqttBroker start(String host, int port, Path workDirectory, String user, String password,
                                           Path keyStore, String keyStorePassword) throws Exception {
        return start(host, port, workDirectory, user, password, keyStore, keyStorePassword, null);
    }

    /**
     * With {@code publishDenied} non-null (an MQTT topic without wildcards; needs {@code user}), that user may not
     * publish to that topic: the broker answers an MQTT 5 QoS 1 publish there with PUBACK 0x87 (not authorized).
     */
    public static EmbeddedMqttBroker start(String host, int port, Path workDirectory, String user, String password,
                                           Path keyStore, String keyStorePassword, String publishDenied) throws Exception {
        String tls = keyStore == null ? "" : ";sslEnabled=true;keyStorePath=" + keyStore + ";keyStorePassword=" + keyStorePassword;
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(user != null)
                .setJMXManagementEnabled(false)
                .setJournalDirectory(workDirectory.resolve("journal").toString())
                .setBindingsDirectory(workDirectory.resolve("bindings").toString())
                .setLargeMessagesDirectory(workDirectory.resolve("large").toString())
                .setPagingDirectory(workDirectory.resolve("paging").toString())
                .addAcceptorConfiguration("mqtt", "tcp://" + host + ":" + port + "?protocols=MQTT" + tls);
        if (publishDenied != null) {
            config.putSecurityRoles("#", Set.of(new Role("user", true, true, true, true, true, true, true, true, true, true)));
            // Artemis maps the MQTT topic a/b to the address a.b
            config.putSecurityRoles(publishDenied.replace('/', '.'),
                    Set.of(new Role("user", false, true, true, true, true, true, true, true, true, true)));
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        if (user != null) {
            broker.setSecurityManager(new ActiveMQSecurityManager() {
                @Override
                public boolean validateUser(String u, String p) {
                    return user.equals(u) && password.equals(p);
                }

                @Override
                public boolean validateUserAndRole(String u, String p, Set<Role> roles, CheckType checkType) {
                    return validateUser(u, p) && (publishDenied == null || roles.stream().anyMatch(checkType::hasRole));
                }
            });
        }
        broker.start();
        return new EmbeddedMqttBroker(broker, (keyStore == null ? "tcp://" : "ssl://") + host + ":" + port, port);
    }

    public String url() {
        return url;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
