package dev.ecubridge.app;

import dev.ecubridge.simulator.AcceleratedClock;
import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.EcuServer;
import dev.ecubridge.simulator.Fault;
import dev.ecubridge.simulator.MeterFault;
import dev.ecubridge.simulator.MeterServer;

import dev.ecubridge.simulator.Replay;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatedMeter;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Run simulated ECUs that answer the 8899 protocol exactly as real ones do.",
                "Default: one ECU-R with 8 inverters (DS3:4,QS1:2,YC600:1,QT2:1) near Utrecht, real time, on 127.0.0.1:8899.",
                "Stop with Ctrl-C."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--port", description = "TCP port of the (first) ECU; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int port = 8899;

    @Option(names = "--bind", description = "address to listen on. Default: ${DEFAULT-VALUE}")
    String bind = "127.0.0.1";

    @Option(names = "--ecus", description = "number of ECUs, on consecutive ports, ids and seeds. Default: ${DEFAULT-VALUE}")
    int ecus = 1;

    @Option(names = "--ecu-model", description = "ECU-R, ECU-B, ECU-R-Pro or ECU-C. Default: ${DEFAULT-VALUE}")
    String ecuModel = "ECU-R";

    @Option(names = "--ecu-id", description = "12-digit ECU id. Default: the model's prefix + 00123456")
    String ecuId;

    @Option(names = "--firmware", description = "firmware string. Default: the model's")
    String firmware;

    @Option(names = "--zone", description = "the site's time zone (ECU-R/B still claim Etc/GMT-8). Default: ${DEFAULT-VALUE}")
    ZoneId zone = ZoneId.of("Europe/Amsterdam");

    @Option(names = "--latitude", description = "degrees north. Default: ${DEFAULT-VALUE}")
    double latitude = 52.1;

    @Option(names = "--longitude", description = "degrees east. Default: ${DEFAULT-VALUE}")
    double longitude = 5.1;

    @Option(names = "--inverters", paramLabel = "MODEL:COUNT,...",
            description = "inverters in report order; models: YC600, YC1000, DS3, DS3-S, DS3-D, DS3-H, QS1, QT2, QT2-05 "
                    + "(type code 05), UNREPORTED (registered, no data). Default: ${DEFAULT-VALUE}")
    String inverters = "DS3:4,QS1:2,YC600:1,QT2:1";

    @Option(names = "--lifetime-kwh", description = "lifetime energy at start. Default: ${DEFAULT-VALUE}")
    double lifetimeKwh = 1234.5;

    @Option(names = "--seed", description = "seed of weather, panels and signal: same seed, same data. Default: ${DEFAULT-VALUE}")
    long seed = 1;

    @Option(names = "--speed", description = "time acceleration: 60 runs an hour per minute. Default: ${DEFAULT-VALUE}")
    double speed = 1;

    @Option(names = "--start", description = "simulated local start time, e.g. 2026-06-21T05:00. Default: now")
    LocalDateTime start;

    @Option(names = "--fault", paramLabel = "FAULT[=N][@CMD]",
            description = "misbehave; repeatable. One of: ${sys:ecubridge.faults}. @0002 limits it to one command.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--replay", paramLabel = "PATH",
            description = "serve recorded frames instead (.hex files, folders, .jsonl captures of the file sink), in order")
    List<Path> replay = new ArrayList<>();

    @Option(names = "--meter",
            description = "also serve each ECU's grid meter (an ECU-C with CT clamps): GET " + MeterServer.PATH
                    + " on a free HTTP port of --bind, printed at start")
    boolean meter;

    @Option(names = "--meter-fault", paramLabel = "FAULT",
            description = "the meter misbehaves; repeatable. One of: ${sys:ecubridge.meter-faults}")
    List<String> meterFaults = new ArrayList<>();

    static {
        System.setProperty("ecubridge.faults", Fault.names());
        System.setProperty("ecubridge.meter-faults", MeterFault.names());
    }

    @Override
    public Integer call() throws Exception {
        List<Fault.Spec> faultSpecs = faults.stream().map(Fault.Spec::parse).toList();
        SimulatorFleet fleet;
        if (!replay.isEmpty()) {
            Replay recorded = Replay.of(replay);
            fleet = SimulatorFleet.replay(recorded, bind, port, faultSpecs);
            System.out.printf("Replaying %d recorded frames on %s:%d%n", recorded.size(), bind, fleet.server(0).port());
        } else {
            fleet = SimulatorFleet.start(site(), ecus, bind, port, clock(), faultSpecs);
            if (ecus > 3) {
                System.out.printf("Simulated %d %s ECUs on %s:%d-%d%n", ecus, ecuModel, bind, fleet.server(0).port(),
                        fleet.server(ecus - 1).port());
            } else {
                for (int i = 0; i < ecus; i++) {
                    describe(fleet.server(i), fleet.ecu(i));
                }
            }
        }
        if (!faultSpecs.isEmpty()) {
            System.out.println("Faults: " + faultSpecs);
        }
        List<MeterServer> meters = new ArrayList<>();
        if (meter && replay.isEmpty()) {
            for (int i = 0; i < ecus; i++) {
                MeterServer server = MeterServer.start(new SimulatedMeter(fleet.ecu(i)), bind, 0);
                meterFaults.forEach(f -> server.set(MeterFault.parse(f)));
                meters.add(server);
                System.out.printf("Meter of %s on http://%s:%d%s%s%n", fleet.server(i).name(), bind, server.port(),
                        MeterServer.PATH, meterFaults.isEmpty() ? "" : ", faults " + meterFaults);
            }
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            meters.forEach(MeterServer::close);
            fleet.close();
            stop.countDown();
        }, "simulator-shutdown"));
        stop.await();
        return 0;
    }

    SiteSpec site() {
        EcuKind kind = EcuKind.parse(ecuModel);
        String id = ecuId != null ? ecuId : kind.idPrefix() + "00123456";
        return new SiteSpec(kind, id, firmware != null ? firmware : kind.defaultFirmware(), zone, latitude, longitude,
                SiteSpec.parseInverters(inverters), lifetimeKwh, seed);
    }

    Clock clock() {
        Instant from = start == null ? Instant.now() : start.atZone(zone).toInstant();
        return speed == 1 && start == null ? Clock.system(zone) : new AcceleratedClock(from, speed, zone);
    }

    private void describe(EcuServer server, SimulatedEcu ecu) {
        System.out.printf("Simulated %s on %s:%d: %s, %s, %d inverters%s%n", server.name(), bind, server.port(),
                ecu.site().firmware(), ecu.site().zone(), ecu.inverterUids().size(), speed == 1 ? "" : ", time x" + speed);
    }

}
