package dev.ecubridge.it;

import dev.ecubridge.app.EmbeddedMqttBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real servers a test class shares, started before its first test and stopped after its last, on loopback: an
 * MQTT 5 broker (Artemis) and/or an InfluxDB v2 write API (QuestDB).
 * {@code @RegisterExtension static final RealServers servers = RealServers.brokerAndQuestDb();}
 */
final class RealServers implements BeforeAllCallback, AfterAllCallback {

    private final boolean withBroker;
    private Path dir;
    private EmbeddedMqttBroker broker;
    private QuestDb questDb;

    private RealServers(boolean withBroker) {
        this.withBroker = withBroker;
    }

    static RealServers brokerAndQuestDb() {
        return new RealServers(true);
    }

    static RealServers questDbOnly() {
        return new RealServers(false);
    }

    EmbeddedMqttBroker broker() {
        return broker;
    }

    QuestDb questDb() {
        return questDb;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("servers");
        if (withBroker) {
            broker = EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), dir.resolve("artemis"));
        }
        questDb = QuestDb.start(dir.resolve("questdb"), Ports.free());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        questDb.close();
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
