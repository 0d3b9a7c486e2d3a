package dev.ecubridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.meter.MeterSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeterSettingsTest {

    private static final List<Settings.Ecu> ECUS = List.of(new Settings.Ecu("roof", "192.0.2.10", 8899),
            new Settings.Ecu("garage", "192.0.2.11", 8899));

    /** The keys given over the shipped defaults, as the properties component has them. */
    private static MeterSettings read(Map<String, String> keys) {
        return MeterSettings.read(k -> Optional.ofNullable(keys.get(k)).or(() -> ConfigurationTest.shipped(k)), ECUS);
    }

    @Test
    void offByDefault() {
        MeterSettings s = read(Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.meters()).isEmpty();
        assertThat(s.intervalSeconds()).isEqualTo(300);
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void aMeterIsOnItsEcusHostPort80UnlessToldOtherwise() {
        assertThat(read(Map.of("ecubridge.meter.enabled", "true")).meters()).containsExactly(
                new MeterSource("roof", "http://192.0.2.10" + MeterSource.PATH),
                new MeterSource("garage", "http://192.0.2.11" + MeterSource.PATH));
        assertThat(read(Map.of("ecubridge.meter.enabled", "true", "ecubridge.meter.ecus", "garage=127.0.0.1:8080")).meters())
                .containsExactly(new MeterSource("garage", "http://127.0.0.1:8080" + MeterSource.PATH));
        assertThat(read(Map.of("ecubridge.meter.enabled", "true", "ecubridge.meter.ecus", " roof ")).meters())
                .containsExactly(new MeterSource("roof", "http://192.0.2.10" + MeterSource.PATH));
    }

    @Test
    void badValuesAreProblemsNotExceptions() {
        assertThat(read(Map.of("ecubridge.meter.enabled", "yes")).problems()).hasSize(1);
        assertThat(read(Map.of("ecubridge.meter.enabled", "true", "ecubridge.meter.ecus", "attic")).problems())
                .singleElement().asString().contains("'attic' is not the name of an ECU");
        assertThat(read(Map.of("ecubridge.meter.enabled", "true", "ecubridge.meter.ecus", "roof,roof")).problems())
                .singleElement().asString().contains("listed twice");
        assertThat(read(Map.of("ecubridge.meter.enabled", "true", "ecubridge.meter.ecus", "roof=a b")).problems())
                .singleElement().asString().contains("not name[=host[:port]]");
        assertThat(read(Map.of("ecubridge.meter.interval-seconds", "0")).problems()).hasSize(1);
    }
}
