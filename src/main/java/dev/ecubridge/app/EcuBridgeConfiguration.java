package dev.ecubridge.app;

import dev.ecubridge.poll.DiscardedInput;
import dev.ecubridge.poll.EcuHealth;
import dev.ecubridge.poll.FailureLog;
import dev.ecubridge.poll.PollCycle;
import dev.ecubridge.history.GapFiller;
import dev.ecubridge.snapshot.SnapshotAssembler;
import dev.ecubridge.metrics.CountersAtZero;
import dev.ecubridge.metrics.EcuAvailability;
import dev.ecubridge.metrics.SolarMetrics;
import dev.ecubridge.poll.EcuConnections;
import dev.ecubridge.poll.Fleet;
import dev.ecubridge.poll.PollScheduler;
import dev.ecubridge.protocol.EcuFrameDecoder;
import dev.ecubridge.protocol.EcuRequestEncoder;
import dev.ecubridge.sinks.InfluxPoints;
import dev.ecubridge.sinks.RecoveryHook;
import dev.ecubridge.sinks.SnapshotFiles;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.netty.ChannelHandlerFactories;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;
import org.apache.camel.component.netty.ShareableChannelHandlerFactory;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/** The beans the routes name (#ecuFrameDecoder-NAME, #ecuRequestEncoder, pollCycle, ...; the sinks' in SinkBeans), made from the settings. */
public final class EcuBridgeConfiguration implements CamelConfiguration {


    private final Settings settings;
    private final PrometheusMeterRegistry meters;
    private final Clock clock;
    /**
     * Linux's epoll through netty's native transport where it is available (Linux on x86-64 and ARM64): each cycle
     * opens three connections, and the JDK's selector costs more per connection. Elsewhere the JDK's NIO.
     */
    private static final boolean EPOLL = Epoll.isAvailable();
    private final EventLoopGroup workers = EPOLL ? new EpollEventLoopGroup(2) : new NioEventLoopGroup(2);
    /** Threads that carry cycles on after each reply: decoding, files, handing over to the sinks. */
    private static final int CYCLE_WORKERS = 2;

    /**
     * @param meters the registry bound as "metricsRegistry" before Camel starts, so Camel's metrics and ours share it
     * @param clock  the clock ECU data times must stay near (the simulator's in the demo and tests)
     */
    public EcuBridgeConfiguration(Settings settings, PrometheusMeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        SnapshotAssembler gate = context.getRegistry().lookupByNameAndType("snapshotAssembler", SnapshotAssembler.class);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                gate.close(); // the cycles have ended (the scheduler drains them when the context begins to stop)
            }
        });
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        pollAllEcus(context, health);
    }

    /**
     * One scheduler and one connection per ECU for the whole fleet: the ECUs are added once Camel has started, and the
     * cycles in flight end before the routes stop.
     */
    private void pollAllEcus(CamelContext context, HealthCheckRegistry checks) throws Exception {
        EcuHealth health = context.getRegistry().lookupByNameAndType("ecuHealth", EcuHealth.class);
        EcuConnections connections = new EcuConnections(context,
                settings.requestTimeoutMillis(), EPOLL, this::frameDecoder, CYCLE_WORKERS);
        context.getRegistry().bind("ecuConnections", connections);
        context.addService(connections);
        Duration interval = Duration.ofSeconds(settings.pollIntervalSeconds());
        PollScheduler scheduler = new PollScheduler(context, health, interval,
                Duration.ofMillis(settings.queryPauseMillis()), settings.maxCyclesInFlight(), meters);
        context.addService(scheduler);
        Fleet fleet = new Fleet(scheduler, connections, health, checks, ecu -> BridgeHealthChecks.ecu(health, ecu), ecu -> {
            EcuAvailability.register(meters, health, ecu);
            if (settings.prometheusCountersAtZero()) {
                CountersAtZero.ecu(meters, ecu);
            }
        }, interval);
        context.getRegistry().bind("ecuFleet", fleet);
        context.getRegistry().bind("pollScheduler", scheduler);
        // cluster mode: the ECUs come from the partitions of the targets topic this instance owns (ClusterConfiguration)
        boolean cluster = Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{ecubridge.cluster.enabled}}"));
        Duration firstPoll = Duration.ofMillis(Long.parseLong(context.resolvePropertyPlaceholders("{{ecubridge.first-poll-delay-ms}}")));
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext camel) {
                ServiceHelper.startService(connections, scheduler); // services added before start may start later
                if (!cluster) {
                    fleet.start(settings.ecus(), firstPoll);
                }
                if (settings.ecusFile() != null && !cluster) {
                    fleet.watch(settings.ecusFile(), Duration.ofSeconds(settings.ecusFileCheckSeconds()));
                }
            }

            @Override
            public void onContextStopping(CamelContext camel) {
                try {
                    scheduler.drain(Duration.ofSeconds(camel.getShutdownStrategy().getTimeout()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /**
     * The frame decoder of one ECU's connections: cuts the reply by its ASCII length field, one decoder per
     * connection; what the ECU sends after its reply is dropped and counted for that ECU.
     */
    private ChannelHandlerFactory frameDecoder(String ecu) {
        DiscardedInput discards = new DiscardedInput(ecu, meters);
        return new DefaultChannelHandlerFactory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new EcuFrameDecoder(discards);
            }
        };
    }

    /** One small event loop for the connections to all ECUs; by default camel-netty gives each endpoint its own. */
    @BindToRegistry
    public EventLoopGroup ecuNettyWorkers() {
        return workers;
    }

    @BindToRegistry
    public ChannelHandlerFactory ecuBytesDecoder() {
        return ChannelHandlerFactories.newByteArrayDecoder("tcp");
    }

    /** Writes an EcuRequest and refuses anything else: nothing but a whitelisted query reaches an ECU. */
    @BindToRegistry
    public ChannelHandlerFactory ecuRequestEncoder() {
        return new ShareableChannelHandlerFactory(new EcuRequestEncoder());
    }

    @BindToRegistry
    public EcuHealth ecuHealth() {
        return new EcuHealth(Clock.systemUTC(), settings.unavailableAfterFailures(),
                Duration.ofSeconds(settings.pollIntervalSeconds()), Duration.ofSeconds(settings.backoffMaxSeconds()),
                settings.recoveryAfterFailures(), Duration.ofMinutes(settings.recoveryCooldownMinutes()));
    }

    /** The quality gate and what it remembers per ECU (in cluster mode also handed between instances). */
    @BindToRegistry
    public SnapshotAssembler snapshotAssembler() {
        return new SnapshotAssembler(settings.zone(), clock, meters, settings.filesDirectory().resolve("state"),
                settings.plausibility(), settings.night());
    }

    @BindToRegistry
    public PollCycle pollCycle(EcuHealth ecuHealth, SnapshotAssembler snapshotAssembler) {
        return new PollCycle(snapshotAssembler, meters, ecuHealth, new FailureLog(clock, Duration.ofHours(1)));
    }

    /** Fills gaps in the published data from the ECU's memory (0003, 0004); open gaps are kept with the gate's state. */
    @BindToRegistry
    public GapFiller gapFiller(CamelContext context, SnapshotAssembler snapshotAssembler) {
        return new GapFiller(Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{ecubridge.history.enabled}}")),
                Integer.parseInt(context.resolvePropertyPlaceholders("{{ecubridge.history.max-days}}")),
                settings.filesDirectory().resolve("state"), snapshotAssembler);
    }

    @BindToRegistry
    public RecoveryHook recoveryHook() {
        return new RecoveryHook(settings.recoveryWebhookUrl(), settings.recoveryMqttTopic(), settings.recoveryMqttPayload());
    }

    @BindToRegistry
    public InfluxPoints influxPoints() {
        return new InfluxPoints();
    }

    /** The solar data in Prometheus (gauges per ECU, inverter and channel), fed by the publish route. */
    @BindToRegistry
    public SolarMetrics solarMetrics() {
        return new SolarMetrics(meters, settings.prometheusSolarSeries(), settings.prometheusCountersAtZero());
    }

    @BindToRegistry
    public SnapshotFiles snapshotFiles() {
        return new SnapshotFiles();
    }
}
