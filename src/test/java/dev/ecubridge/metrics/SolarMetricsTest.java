package dev.ecubridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.sinks.Quantities;
import dev.ecubridge.sinks.Quantity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolarMetricsTest {

    private static final String ECU_ID = "216000123456";
    private static final Instant TIME = Instant.parse("2026-06-21T10:00:00Z");

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final SolarMetrics solar = new SolarMetrics(meters);

    private static InverterSnapshot online(String uid, int watts) {
        return new InverterSnapshot(ECU_ID, TIME, uid, "DS3", "03", true, 50.0, 30, 200,
                List.of(new InverterSnapshot.Channel(1, watts, 230, true, 0.5, 12.0), new InverterSnapshot.Channel(2, watts, 230, true, 0.5, 12.0)));
    }

    private static InverterSnapshot offline(String uid) {
        return new InverterSnapshot(ECU_ID, TIME, uid, "DS3", "03", false, null, null, null,
                List.of(new InverterSnapshot.Channel(1, null, null, true, 0.5, 12.0), new InverterSnapshot.Channel(2, null, null, true, 0.5, 12.0)));
    }

    private static Snapshot snapshot(Integer powerW, Double lifetimeKwh, InverterSnapshot... inverters) {
        int online = (int) List.of(inverters).stream().filter(InverterSnapshot::online).count();
        return new Snapshot(ECU_ID, "ECU-R", "1.3.10", TIME, LocalDateTime.parse("2026-06-21T12:00:00"), powerW, 1.5,
                lifetimeKwh, inverters.length, online, List.of(inverters), null, List.of());
    }

    private Gauge gauge(String name, String... tags) {
        return meters.find(name).tags(tags).gauge();
    }

    @Test
    void everyValueOfASnapshotIsAGaugeWithNameAndId() {
        solar.update("roof", snapshot(620, 1234.5, online("703000000001", 310)));
        assertThat(gauge("ecubridge_ecu_power_watts", "ecu", "roof", "ecu_id", ECU_ID).value()).isEqualTo(620);
        assertThat(gauge("ecubridge_ecu_last_data_time_seconds", "ecu", "roof").value()).isEqualTo(TIME.getEpochSecond());
        assertThat(gauge("ecubridge_inverter_power_watts", "inverter_uid", "703000000001").value()).isEqualTo(620);
        assertThat(gauge("ecubridge_channel_ac_voltage_volts", "inverter_uid", "703000000001", "channel", "2").value()).isEqualTo(230);
        assertThat(gauge("ecubridge_inverter_online", "inverter_uid", "703000000001").value()).isEqualTo(1);
        assertThat(meters.find("ecubridge.snapshots.published").tag("ecu_id", ECU_ID).counter()).as("at 0").isNotNull();
    }

    @Test
    void aFleetCanKeepToTheEcuTotalsOrNoSolarSeries() {
        new SolarMetrics(meters, SolarMetrics.Detail.ECU, true).update("roof", snapshot(620, 1234.5, online("703000000001", 310)));
        assertThat(gauge("ecubridge_ecu_power_watts", "ecu", "roof").value()).isEqualTo(620);
        assertThat(gauge("ecubridge_inverter_power_watts")).isNull();
        assertThat(gauge("ecubridge_channel_power_watts")).isNull();
        new SolarMetrics(meters, SolarMetrics.Detail.NONE, true).update("garage", snapshot(100, 1234.5, online("703000000002", 50)));
        assertThat(gauge("ecubridge_ecu_power_watts", "ecu", "garage")).isNull();
    }

    @Test
    void aFleetCanLeaveCountersOutUntilTheirFirstCount() {
        new SolarMetrics(meters, SolarMetrics.Detail.ECU, false).update("roof", snapshot(620, 1234.5, online("703000000001", 310)));
        assertThat(gauge("ecubridge_ecu_power_watts", "ecu", "roof").value()).isEqualTo(620);
        assertThat(meters.find("ecubridge.snapshots.published").counter()).isNull();
        assertThat(meters.find("ecubridge.values.rejected").counter()).isNull();
    }

    @Test
    void noDataIsNoSeriesAndTheLatestSnapshotIsTheWholeTruth() {
        solar.update("roof", snapshot(620, 1234.5, online("703000000001", 310)));
        solar.update("roof", snapshot(null, null, offline("703000000001")));
        assertThat(gauge("ecubridge_ecu_power_watts")).as("rejected: absent").isNull();
        assertThat(gauge("ecubridge_ecu_energy_lifetime_kwh")).isNull();
        assertThat(gauge("ecubridge_inverter_power_watts")).as("offline: absent").isNull();
        assertThat(gauge("ecubridge_inverter_signal")).isNull();
        assertThat(gauge("ecubridge_channel_power_watts")).isNull();
        assertThat(gauge("ecubridge_inverter_online", "inverter_uid", "703000000001").value()).isZero();
        assertThat(gauge("ecubridge_ecu_inverters_online").value()).isZero();
        assertThat(gauge("ecubridge_inverter_energy_today_kwh", "inverter_uid", "703000000001").value())
                .as("counters stay while offline").isEqualTo(1.0);
        assertThat(gauge("ecubridge_channel_energy_lifetime_kwh", "channel", "2").value()).isEqualTo(12.0);
    }

    @Test
    void everyQuantityWithAPrometheusNameIsAGaugeWithItsHelp() {
        solar.update("roof", snapshot(620, 1234.5, online("703000000001", 310)));
        List<Quantity<?>> named = Quantities.all().stream().filter(q -> q.prometheus() != null).toList();
        assertThat(named).hasSizeGreaterThan(10);
        for (Quantity<?> q : named) {
            assertThat(gauge(q.prometheus())).as(q.prometheus()).isNotNull();
            assertThat(gauge(q.prometheus()).getId().getDescription()).isEqualTo(q.help());
        }
        assertThat(gauge("ecubridge_inverter_energy_lifetime_kwh", "inverter_uid", "703000000001").value()).isEqualTo(24.0);
        assertThat(gauge("ecubridge_channel_energy_today_kwh", "channel", "1").value()).isEqualTo(0.5);
    }

    @Test
    void aChannelWithoutAPairedVoltageHasNoVoltageSeries() {
        InverterSnapshot qs1 = new InverterSnapshot(ECU_ID, TIME, "802000000001", "QS1", "02", true, 50.0, 30, 200,
                List.of(new InverterSnapshot.Channel(1, 100, 230, true, 0.5, 12.0),
                        new InverterSnapshot.Channel(2, 100, null, false, 0.5, 12.0)));
        solar.update("roof", snapshot(200, 1234.5, qs1));
        assertThat(meters.find("ecubridge_channel_ac_voltage_volts").gauges()).hasSize(1);
        assertThat(meters.find("ecubridge_channel_power_watts").gauges()).hasSize(2);
    }

    @Test
    void churningUidsKeepTheSeriesBounded() {
        for (int cycle = 0; cycle < 500; cycle++) {
            solar.update("roof", snapshot(100, 1000.0 + cycle, online(String.format("80%010d", cycle), 50),
                    online("703000000001", 50)));
        }
        assertThat(meters.find("ecubridge_inverter_online").gauges()).hasSize(2);
        assertThat(meters.find("ecubridge_channel_power_watts").gauges()).hasSize(4);
        assertThat(meters.getMeters().stream().filter(m -> m.getId().getName().startsWith("ecubridge_")
                && m instanceof Gauge)).hasSize(6 + 2 * 7 + 4 * 4);
    }

    @Test
    void twoEcusKeepTheirOwnSeries() {
        solar.update("roof", snapshot(620, 1234.5, online("703000000001", 310)));
        solar.update("shed", new Snapshot("216000654321", "ECU-B", "1.2", TIME, LocalDateTime.parse("2026-06-21T12:00:00"),
                100, 0.5, 10.0, 0, 0, List.of(), null, List.of()));
        assertThat(meters.find("ecubridge_ecu_power_watts").gauges()).hasSize(2);
        assertThat(gauge("ecubridge_inverter_power_watts", "ecu", "roof")).isNotNull();
    }
}
