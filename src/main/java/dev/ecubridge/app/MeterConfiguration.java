package dev.ecubridge.app;

import dev.ecubridge.poll.EcuHealth;
import dev.ecubridge.meter.MeterReads;
import dev.ecubridge.meter.MeterState;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneId;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The ECU-C meter's bean ({@code meterReads}, which routes/meter.yaml names) and one health check per meter
 * ({@code meter-<name>}), apart from the ECUs': a meter that fails never makes its ECU DOWN.
 */
final class MeterConfiguration implements CamelConfiguration {

    private final Settings settings;
    private final MeterSettings meter;
    private final MeterRegistry meters;
    private final Clock clock;

    MeterConfiguration(Settings settings, MeterSettings meter, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.meter = meter;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public void configure(CamelContext context) {
        // today's energies restart at midnight of ecubridge.zone, else of this machine
        ZoneId zone = settings.zone() != null ? settings.zone() : clock.getZone();
        MeterReads reads = new MeterReads(meter.meters(),
                source -> MeterState.load(source.ecu(),
                        settings.filesDirectory().resolve("state").resolve("meter-" + source.ecu() + ".json"), zone),
                name -> ecuId(context, name),
                meters, clock, zone);
        context.getRegistry().bind("meterReads", reads);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            meter.meters().forEach(m -> health.register(BridgeHealthChecks.meter(reads, m.ecu(), zone)));
        }
    }

    /** The ECU's id once its 8899 cycle has told it (read only: the meter never changes the ECU's health). */
    private static String ecuId(CamelContext context, String ecu) {
        EcuHealth health = context.getRegistry().lookupByNameAndType("ecuHealth", EcuHealth.class);
        EcuHealth.Status status = health == null ? null : health.status(ecu);
        return status == null ? null : status.ecuId();
    }
}
