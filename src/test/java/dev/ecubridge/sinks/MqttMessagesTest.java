package dev.ecubridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.InverterSnapshot.Channel;
import dev.ecubridge.snapshot.Night;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttMessagesTest {

    private static final String CONFIG = "homeassistant/device/apsystems_901000000002/config";

    /** A QT2: four channels, three phase voltages (ch1-3); offline it has no values at all. */
    private static InverterSnapshot qt2(boolean online) {
        List<Channel> channels = new ArrayList<>();
        for (int c = 1; c <= 4; c++) {
            channels.add(new Channel(c, online ? 100 * c : null, online && c < 4 ? 231 : null, c < 4, 0.5, 12.0));
        }
        return new InverterSnapshot("216000000001", Instant.EPOCH, "901000000002", "QT2", "02", online,
                online ? 50.0 : null, online ? 35 : null, online ? 180 : null, channels);
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    private static List<String> components(MqttMessages messages, InverterSnapshot i) throws Exception {
        List<String> ids = new ArrayList<>();
        for (MqttPublish m : messages.discoveryAll()) {
            if (m.topic().equals(CONFIG)) {
                json(m.payload()).get("cmps").fieldNames().forEachRemaining(ids::add);
            }
        }
        return ids;
    }

    @Test
    void theDiscoveryConfigsKeptForHomeAssistantAreBoundedWhenUidsChurn() {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", true, 900, "test");
        for (int i = 0; i < 5000; i++) {
            messages.forInverter(new InverterSnapshot("216000000001", Instant.EPOCH, String.format("99%010d", i), "unknown",
                    "01", true, 50.0, 40, 200, List.of(new Channel(1, 100, 230, true, 0.0, 0.0))));
        }
        List<String> topics = messages.discoveryAll().stream().map(MqttPublish::topic).toList();
        assertThat(topics).hasSizeLessThanOrEqualTo(2000).contains("homeassistant/device/apsystems_990000004999/config");
    }

    @Test
    void noDataIsAnEmptyPayload() {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", false, 900, "test");
        List<MqttPublish> out = messages.forInverter(new InverterSnapshot("216000000001", Instant.EPOCH, "703000000001",
                "DS3", "01", true, null, 40, 200, List.of(new Channel(1, null, 230, true, 0.0, 0.0))));
        assertThat(out).filteredOn(m -> m.topic().endsWith("/frequency_hz") || m.topic().endsWith("/ch1/power_w")
                || m.topic().endsWith("/703000000001/power_w")).hasSize(3).allMatch(m -> m.payload().isEmpty());
    }

    @Test
    void aQt2HasTheSameComponentsNightAndDayAndItsConfigIsPublishedOnlyWhenItChanges() throws Exception {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", true, 900, "test");
        List<MqttPublish> first = messages.forInverter(qt2(false));
        List<String> offline = components(messages, qt2(false));
        assertThat(first).filteredOn(m -> m.topic().equals(CONFIG)).hasSize(1);
        assertThat(messages.forInverter(qt2(true))).noneMatch(m -> m.topic().equals(CONFIG));
        assertThat(components(messages, qt2(true))).isEqualTo(offline);
        assertThat(messages.forInverter(qt2(false))).noneMatch(m -> m.topic().equals(CONFIG));
        assertThat(offline).contains("901000000002_ch3_voltage", "901000000002_ch4_power", "901000000002_ch4_today",
                "901000000002_lifetime").doesNotContain("901000000002_ch4_voltage");
    }

    @Test
    void offlineMeansNoValueForEveryMeasurementSignalIncludedButCountersStay() throws Exception {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", false, 900, "test");
        List<MqttPublish> out = messages.forInverter(qt2(false));
        String t = "apsystems/216000000001/901000000002/";
        assertThat(out).filteredOn(m -> m.topic().equals(t + "signal") || m.topic().equals(t + "ch1/voltage_v")
                || m.topic().equals(t + "power_w") || m.topic().equals(t + "temperature_c")).hasSize(4)
                .allMatch(m -> m.payload().isEmpty());
        assertThat(out).filteredOn(m -> m.topic().equals(t + "ch2/lifetime_kwh")).singleElement()
                .matches(m -> m.payload().equals("12.0") && m.expirySeconds() == null);
        assertThat(out).filteredOn(m -> m.topic().equals(t + "lifetime_kwh")).singleElement()
                .matches(m -> m.payload().equals("48.0"));
        assertThat(out).noneMatch(m -> m.topic().equals(t + "ch4/voltage_v"));
        JsonNode state = json(out.stream().filter(m -> m.topic().equals(t + "state")).findFirst().orElseThrow().payload());
        assertThat(state.get("signal").isNull()).isTrue();
        assertThat(state.get("today_kwh").asDouble()).isEqualTo(2.0);
    }

    @Test
    void measurementsExpireAfterThePollIntervalsAndEnergyIsForTheEnergyDashboard() throws Exception {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", true, 900, "test");
        JsonNode cmps = json(messages.forInverter(qt2(true)).stream().filter(m -> m.topic().equals(CONFIG)).findFirst()
                .orElseThrow().payload()).get("cmps");
        assertThat(cmps.at("/901000000002_ch1_power/exp_aft").asLong()).isEqualTo(900);
        assertThat(cmps.at("/901000000002_temperature/exp_aft").asLong()).isEqualTo(900);
        assertThat(cmps.at("/901000000002_ch1_power/avty").isMissingNode()).as("follows the inverter").isTrue();
        JsonNode lifetime = cmps.get("901000000002_ch2_lifetime");
        assertThat(lifetime.get("dev_cla").asText()).isEqualTo("energy");
        assertThat(lifetime.get("stat_cla").asText()).isEqualTo("total_increasing");
        assertThat(lifetime.get("unit_of_meas").asText()).isEqualTo("kWh");
        assertThat(lifetime.get("stat_t").asText()).isEqualTo("apsystems/216000000001/901000000002/ch2/lifetime_kwh");
        assertThat(lifetime.has("exp_aft")).isFalse();
        assertThat(lifetime.get("avty")).as("available at night").hasSize(2);
    }

    @Test
    void aComponentThatGoesAwayIsSentOnceAsItsPlatformAlone() throws Exception {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", true, 900, "test");
        messages.forInverter(qt2(true));
        InverterSnapshot asDs3 = new InverterSnapshot("216000000001", Instant.EPOCH, "901000000002", "DS3", "01", true,
                50.0, 35, 180, List.of(new Channel(1, 100, 231, true, 0.5, 12.0), new Channel(2, 100, 231, true, 0.5, 12.0)));
        List<MqttPublish> changed = messages.forInverter(asDs3);
        JsonNode cmps = json(changed.stream().filter(m -> m.topic().equals(CONFIG)).findFirst().orElseThrow().payload()).get("cmps");
        assertThat(cmps.get("901000000002_ch4_power").toString()).isEqualTo("{\"p\":\"sensor\"}");
        assertThat(cmps.get("901000000002_ch3_voltage").toString()).isEqualTo("{\"p\":\"sensor\"}");
        assertThat(cmps.get("901000000002_ch2_power").get("name").asText()).isEqualTo("Power ch2");
        assertThat(messages.forInverter(asDs3)).noneMatch(m -> m.topic().equals(CONFIG));
        assertThat(json(messages.discoveryAll().get(0).payload()).get("cmps").has("901000000002_ch4_power")).isFalse();
    }

    @Test
    void withNightZeroOfflinePowerIsZeroAndStaysAvailable() throws Exception {
        MqttMessages messages = new MqttMessages("apsystems", "homeassistant", true, 900, Night.ZERO, "test");
        List<Channel> channels = List.of(new Channel(1, 0, null, true, 0.5, 12.0), new Channel(2, 0, null, true, 0.5, 12.0));
        InverterSnapshot night = new InverterSnapshot("216000000001", Instant.EPOCH, "703000000001", "DS3", "01", false,
                null, null, null, channels);
        List<MqttPublish> out = messages.forInverter(night);
        String t = "apsystems/216000000001/703000000001/";
        assertThat(out).filteredOn(m -> m.topic().equals(t + "power_w") || m.topic().equals(t + "ch1/power_w"))
                .hasSize(2).allMatch(m -> m.payload().equals("0"));
        assertThat(out).filteredOn(m -> m.topic().equals(t + "ch1/voltage_v") || m.topic().equals(t + "frequency_hz")
                || m.topic().equals(t + "signal")).hasSize(3).allMatch(m -> m.payload().isEmpty());
        JsonNode cmps = json(out.stream().filter(m -> m.topic().endsWith("/config")).findFirst().orElseThrow().payload()).get("cmps");
        assertThat(cmps.get("703000000001_power").get("avty")).hasSize(2);
        assertThat(cmps.get("703000000001_ch1_voltage").has("avty")).isFalse();
    }
}
