package dev.ecubridge.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.ecubridge.sinks.MqttPublish;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the bridge on camel-main: application.properties (in the jar, then the working directory's, then environment
 * variables), the YAML routes and the beans of {@link EcuBridgeConfiguration}, which polls the ECUs of
 * {@code ecubridge.ecus} or {@code ecubridge.ecus-file}.
 */
public final class EcuBridgeApp {

    private static final Logger LOG = LoggerFactory.getLogger(EcuBridgeApp.class);

    /** Later locations override earlier ones. */
    static final String LOCATIONS = "classpath:application.properties,file:application.properties;optional=true";

    private final Properties overrides = new Properties();

    /** A property that beats the files and the environment (used by {@code demo} and tests). */
    public EcuBridgeApp with(String key, Object value) {
        overrides.setProperty(key, String.valueOf(value));
        return this;
    }

    public EcuBridgeApp with(Map<String, ?> properties) {
        properties.forEach(this::with);
        return this;
    }

    /** The settings as Camel will see them; problems included, not thrown. */
    public Settings settings() {
        DefaultCamelContext probe = new DefaultCamelContext(false);
        try {
            PropertiesComponent pc = probe.getPropertiesComponent();
            pc.setLocation(LOCATIONS);
            pc.setOverrideProperties(overrides);
            probe.build();
            return Settings.read(key -> pc.resolveProperty(key).filter(v -> !v.isBlank()));
        } finally {
            probe.shutdown();
        }
    }

    /** A camel-main ready to run; the caller checks {@link Settings#problems()} first. */
    public Main createMain(Settings settings) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(LOCATIONS);
        main.setOverrideProperties(overrides);
        // Prometheus at camel.management's /observe/metrics: camel-micrometer-prometheus uses the registry bound under this
        // name when it starts, so it is bound before anything else and Camel's metrics and ours share it
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        main.bind("metricsRegistry", meters);
        main.configure().addConfiguration(new EcuBridgeConfiguration(settings, meters));
        main.addMainListener(new MainListenerSupport() {
            /** A clean disconnect does not trigger the broker's last will: say it ourselves. */
            @Override
            public void beforeStop(BaseMainSupport support) {
                if (settings.mqttEnabled()) {
                    try (ProducerTemplate template = support.getCamelContext().createProducerTemplate()) {
                        template.sendBody("direct:mqtt-send", new MqttPublish(settings.mqttBaseTopic() + "/bridge/status",
                                "offline", true, null, Instant.now()));
                    } catch (Exception e) {
                        LOG.info("Could not publish the bridge's offline status: {}", e.getMessage());
                    }
                }
            }
        });
        return main;
    }
}
