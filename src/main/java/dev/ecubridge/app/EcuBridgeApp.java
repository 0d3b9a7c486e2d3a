package dev.ecubridge.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.ecubridge.metrics.PrometheusConventions;
import dev.ecubridge.sinks.MqttPublish;
import dev.ecubridge.sinks.SinkConfig;
import dev.ecubridge.userroutes.UserRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the bridge on camel-main: the settings of {@link SettingsSources}, the YAML routes and the beans of
 * {@link EcuBridgeConfiguration}, which polls the ECUs of {@code ecubridge.ecus} or {@code ecubridge.ecus-file}.
 */
public final class EcuBridgeApp {

    private static final Logger LOG = LoggerFactory.getLogger(EcuBridgeApp.class);

    private final SettingsSources sources;
    private final Properties overrides = new Properties();
    private Clock clock = Clock.systemDefaultZone();
    private UserRoutes userRoutes;
    /** Reads the settings as Camel will see them; built once, again after {@link #with(String, Object)}. */
    private Function<String, Optional<String>> lookup;

    /** The working directory's application.properties over the jar's. */
    public EcuBridgeApp() {
        this(SettingsSources.workingDirectory());
    }

    public EcuBridgeApp(SettingsSources sources) {
        this.sources = sources;
    }

    /** A property that beats the files, the environment and -D (used by {@code demo} and tests). */
    public EcuBridgeApp with(String key, Object value) {
        overrides.setProperty(key, String.valueOf(value));
        lookup = null;
        return this;
    }

    /** The clock ECU data times are checked against: the simulator's when it runs on simulated time (demo, tests). */
    public EcuBridgeApp withClock(Clock ecuClock) {
        this.clock = ecuClock;
        return this;
    }

    public EcuBridgeApp with(Map<String, ?> properties) {
        properties.forEach(this::with);
        return this;
    }

    /** Environment, -D, then this app's own properties. */
    private Properties allOverrides() {
        Properties all = sources.overrides();
        all.putAll(overrides);
        return all;
    }

    /**
     * The settings as Camel will see them; problems included, not thrown. The context that reads them is only built,
     * never started or shut down, so that nothing is logged before a configuration problem.
     */
    public Settings settings() {
        return Settings.read(lookup());
    }

    /** The ECU-C meters' settings ({@code ecubridge.meter.*}), read the same way. */
    public MeterSettings meterSettings(Settings settings) {
        return MeterSettings.read(lookup(), settings.ecus());
    }

    /** Where cluster mode finds Kafka ({@code ecubridge.kafka.*}, else the sink kafka's keys), read the same way. */
    public KafkaSettings kafkaSettings() {
        return KafkaSettings.read(lookup());
    }

    /** The cluster's settings ({@code ecubridge.cluster.*}), read the same way. */
    public ClusterSettings clusterSettings() {
        return ClusterSettings.read(lookup());
    }

    /** Cluster mode's readings topic and this instance's roles ({@code ecubridge.cluster.*}), read the same way. */
    public ReadingsSettings readingsSettings() {
        return ReadingsSettings.read(lookup());
    }

    private synchronized Function<String, Optional<String>> lookup() {
        if (lookup == null) {
            lookup = newLookup();
        }
        return lookup;
    }

    private Function<String, Optional<String>> newLookup() {
        DefaultCamelContext probe = new DefaultCamelContext(false);
        PropertiesComponent pc = probe.getPropertiesComponent();
        pc.setLocation(sources.locations());
        pc.setOverrideProperties(allOverrides());
        SettingsSources.environmentAsFallbackOnly(pc);
        probe.build();
        return key -> pc.resolveProperty(key).filter(v -> !v.isBlank());
    }

    /**
     * Everything that stops a start, one line each: a missing {@code --config} file, bad values, then what valid
     * values cannot do here (a port in use, a directory that cannot be written).
     */
    public List<String> startProblems(Settings settings) {
        List<String> problems = new ArrayList<>(sources.problems());
        problems.addAll(settings.problems());
        lookup().apply(USER_ROUTES_KEY).filter(dir -> !Files.isDirectory(Path.of(dir)))
                .ifPresent(dir -> problems.add(USER_ROUTES_KEY + "=" + dir + ": no such folder"));
        problems.addAll(meterSettings(settings).problems());
        problems.addAll(clusterSettings().problems());
        problems.addAll(readingsSettings().problems());
        if (problems.isEmpty()) {
            problems.addAll(StartupChecks.check(settings));
        }
        return problems;
    }

    static final String USER_ROUTES_KEY = "ecubridge.user-routes.directory";

    /** The user routes' folder: {@code ecubridge.user-routes.directory}, else {@code routes.d} beside the settings file. */
    public Path userRoutesDirectory() {
        return lookup().apply(USER_ROUTES_KEY).map(Path::of).orElseGet(() -> {
            Path settingsFolder = sources.userFile().toAbsolutePath().getParent();
            return settingsFolder.resolve("routes.d");
        });
    }

    /** The user route file behind a failed start of {@link #createMain}'s Camel, as one line. */
    public Optional<String> userRouteProblem(Throwable e) {
        return userRoutes == null ? Optional.empty() : userRoutes.problem(e);
    }

    /** A camel-main ready to run; the caller checks {@link #startProblems} first. */
    public Main createMain(Settings settings) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(sources.locations());
        main.setOverrideProperties(allOverrides());
        // Prometheus at camel.management's /observe/metrics: camel-micrometer-prometheus uses the registry bound under this
        // name when it starts, so it is bound before anything else and Camel's metrics and ours share it (and its
        // conventions: snake_case labels, HELP everywhere)
        PrometheusMeterRegistry meters = PrometheusConventions.registry();
        main.bind("metricsRegistry", meters);
        ReadingsSettings readings = readingsSettings();
        KafkaSettings kafka = kafkaSettings();
        main.configure().addConfiguration(new EcuBridgeConfiguration(settings, meters, clock));
        main.configure().addConfiguration(new SinkConfiguration(settings, readings, kafka, meters));
        main.configure().addConfiguration(new MeterConfiguration(settings, meterSettings(settings), meters, clock));
        if (readings.polls()) {
            main.configure().addConfiguration(new ClusterConfiguration(clusterSettings(), kafka, meters));
        }
        userRoutes = new UserRoutes(userRoutesDirectory(), meters);
        main.configure().addConfiguration(userRoutes);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                SettingsSources.environmentAsFallbackOnly(support.getCamelContext().getPropertiesComponent());
            }

            /** The sinks' routes, from the templates the YAML routes have just defined. */
            @Override
            public void afterConfigure(BaseMainSupport support) {
                try {
                    SinkBeans.addRoutes(support.getCamelContext(), settings, readings, kafka);
                } catch (Exception e) {
                    throw new IllegalStateException("sink routes: " + e.getMessage(), e);
                }
            }

            /** A clean disconnect does not trigger the broker's last will: say it ourselves, on each MQTT sink. */
            @Override
            public void beforeStop(BaseMainSupport support) {
                for (SinkConfig sink : settings.enabledSinks()) {
                    if (!sink.type().equals("mqtt")) {
                        continue;
                    }
                    try (ProducerTemplate template = support.getCamelContext().createProducerTemplate()) {
                        template.sendBody("direct:sink-" + sink.name() + "-send", new MqttPublish(sink.option("base-topic")
                                + "/bridge/status", "offline", true, null, Instant.now()));
                    } catch (Exception e) {
                        LOG.info("Could not publish the bridge's offline status to sink {}: {}", sink.name(), e.getMessage());
                    }
                }
            }
        });
        return main;
    }
}
