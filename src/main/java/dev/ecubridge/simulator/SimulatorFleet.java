package dev.ecubridge.simulator;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One or many simulated ECUs in one process, on consecutive ports, sharing one small event loop: an ECU costs a
 * listening socket and its state, so a fleet benchmark can run hundreds.
 */
public final class SimulatorFleet implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<SimulatedEcu> ecus = new ArrayList<>();
    private final List<EcuServer> servers = new ArrayList<>();

    private SimulatorFleet(int threads) {
        this.group = new NioEventLoopGroup(threads);
    }

    /**
     * Starts {@code count} ECUs like {@code site}, the i-th with the ECU id {@code site.ecuId() + i}, seed
     * {@code site.seed() + i} and port {@code basePort + i} (all ephemeral when basePort is 0).
     */
    public static SimulatorFleet start(SiteSpec site, int count, String host, int basePort, Clock clock,
                                       List<Fault.Spec> faults) throws InterruptedException {
        SimulatorFleet fleet = new SimulatorFleet(Math.min(2, Math.max(1, count)));
        try {
            for (int i = 0; i < count; i++) {
                SiteSpec spec = count == 1 ? site : site.withEcu(site.ecu(), nthId(site.ecuId(), i)).withSeed(site.seed() + i);
                SimulatedEcu ecu = new SimulatedEcu(spec, clock);
                fleet.add(ecu, ecu, spec.seed(), host, basePort == 0 ? 0 : basePort + i, faults);
            }
        } catch (RuntimeException | InterruptedException e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    /** One ECU that replays recorded frames. */
    public static SimulatorFleet replay(Replay replay, String host, int port, List<Fault.Spec> faults) throws InterruptedException {
        SimulatorFleet fleet = new SimulatorFleet(1);
        fleet.add(null, replay, 1, host, port, faults);
        return fleet;
    }

    private void add(SimulatedEcu ecu, ReplySource source, long seed, String host, int port, List<Fault.Spec> faultSpecs)
            throws InterruptedException {
        Faults faults = new Faults(seed);
        faultSpecs.forEach(faults::set);
        String name = ecu == null ? "replay" : ecu.site().ecu().displayName() + " " + ecu.ecuId();
        servers.add(new EcuServer(name, source, faults, host, port, group).start());
        ecus.add(ecu);
    }

    static String nthId(String baseId, int i) {
        String prefix = baseId.substring(0, 4);
        long number = (Long.parseLong(baseId.substring(4)) + i) % 100_000_000L;
        return prefix + String.format("%08d", number);
    }

    public List<EcuServer> servers() {
        return servers;
    }

    public EcuServer server(int i) {
        return servers.get(i);
    }

    /** The simulated ECU behind server i; null for a replay. */
    public SimulatedEcu ecu(int i) {
        return ecus.get(i);
    }

    @Override
    public void close() {
        servers.forEach(EcuServer::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
