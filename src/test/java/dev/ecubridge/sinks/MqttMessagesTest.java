package dev.ecubridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.conversion.InverterSnapshot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttMessagesTest {

    @Test
    void theDiscoveryConfigsKeptForHomeAssistantAreBoundedWhenUidsChurn() {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", true, 900, "test");
        for (int i = 0; i < 5000; i++) {
            messages.forInverter(new InverterSnapshot("216000000001", Instant.EPOCH, String.format("99%010d", i), "unknown",
                    "01", true, 50.0, 40, 200, List.of(new InverterSnapshot.Channel(1, 100, 230))));
        }
        List<String> topics = messages.discoveryAll().stream().map(MqttPublish::topic).toList();
        assertThat(topics).hasSizeLessThanOrEqualTo(2000).contains("homeassistant/device/apsystems_990000004999/config");
    }

    @Test
    void noDataIsAnEmptyPayload() {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", false, 900, "test");
        List<MqttPublish> out = messages.forInverter(new InverterSnapshot("216000000001", Instant.EPOCH, "703000000001",
                "DS3", "01", true, null, 40, 200, List.of(new InverterSnapshot.Channel(1, null, 230))));
        assertThat(out).filteredOn(m -> m.topic().endsWith("/frequency_hz") || m.topic().endsWith("/ch1/power_w")
                || m.topic().endsWith("/703000000001/power_w")).hasSize(3).allMatch(m -> m.payload().isEmpty());
    }
}
