package dev.ecubridge.app;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The sink instances' beans ({@link SinkBeans}); in cluster mode also those of the readings topic's writer and readers. */
final class SinkConfiguration implements CamelConfiguration {

    private final Settings settings;
    private final ReadingsSettings readings;
    private final KafkaSettings kafka;
    private final MeterRegistry meters;

    SinkConfiguration(Settings settings, ReadingsSettings readings, KafkaSettings kafka, MeterRegistry meters) {
        this.settings = settings;
        this.readings = readings;
        this.kafka = kafka;
        this.meters = meters;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        SinkBeans.bind(context, settings, readings, kafka, meters);
    }
}
