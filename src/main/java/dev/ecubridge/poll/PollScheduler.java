package dev.ecubridge.poll;

import dev.ecubridge.exchange.ExchangeProperties;
import dev.ecubridge.app.Settings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler for the cycles of all ECUs. Each ECU is an entry with its next due time in one single-thread
 * scheduled executor; each step of a cycle (info, realtime, signal) is one pass of the exchange through the
 * {@code ecu-step} route, and the pauses between them are scheduled, not slept. Nothing holds a thread per ECU, and
 * what one cycle costs does not depend on the size of the fleet.
 * <ul>
 * <li>A cycle never overlaps itself: an ECU due while its cycle still runs starts its next one when it ends.</li>
 * <li>At most {@code maxInFlight} cycles run at once; due ECUs beyond wait their turn, in order.</li>
 * <li>A down ECU is polled with a backoff ({@link EcuHealth#due}).</li>
 * </ul>
 * All entries are read and changed on the scheduler's own thread only.
 */
public final class PollScheduler extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(PollScheduler.class);

    private final CamelContext context;
    private final EcuHealth health;
    private final long intervalNanos;
    private final long pauseMillis;
    private final int maxInFlight;
    private final Counter due;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Entry> entries = new HashMap<>();
    private final Queue<Entry> waiting = new ArrayDeque<>();
    private ScheduledExecutorService timer;
    private Endpoint stepEndpoint;
    private AsyncProducer step;
    private volatile boolean draining;

    private static final class Entry {
        Settings.Ecu ecu;
        long nextDue;
        Exchange cycle;
        boolean queued;
        boolean dueAgain;
        Runnable whenRemoved;
        /** When the cycle in flight sent its first request; null before that. */
        Instant polled;
    }

    public PollScheduler(CamelContext context, EcuHealth health, Duration interval, Duration pause, int maxInFlight,
                         MeterRegistry meters) {
        this.context = context;
        this.health = health;
        this.intervalNanos = interval.toNanos();
        this.pauseMillis = pause.toMillis();
        this.maxInFlight = maxInFlight;
        this.due = meters.counter("ecubridge.poll.due");
        meters.gauge("ecubridge.poll.in-flight", inFlight);
    }

    /** Starts polling an ECU, its first cycle after {@code firstPoll}. */
    public void add(Settings.Ecu ecu, Duration firstPoll) {
        timer.execute(() -> {
            Entry e = new Entry();
            e.ecu = ecu;
            e.nextDue = System.nanoTime() + firstPoll.toNanos();
            entries.put(ecu.name(), e);
            timer.schedule(() -> due(e), firstPoll.toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    /** A new address or zone for an ECU: used from its next cycle on, in the same rhythm. */
    public void update(Settings.Ecu ecu) {
        timer.execute(() -> {
            Entry e = entries.get(ecu.name());
            if (e != null) {
                e.ecu = ecu;
            }
        });
    }

    /** Stops polling an ECU; {@code whenRemoved} runs once its cycle in flight, if any, has ended. */
    public void remove(String ecu, Runnable whenRemoved) {
        timer.execute(() -> {
            Entry e = entries.remove(ecu);
            if (e == null) {
                return;
            }
            e.whenRemoved = whenRemoved;
            if (e.cycle == null) {
                whenRemoved.run();
            }
        });
    }

    /**
     * A condition every request to an ECU must meet (cluster mode: this instance's group membership is sure): while it
     * is false no cycle begins, and a cycle in flight ends before its next request.
     */
    public void gate(BooleanSupplier mayConnect) {
        this.mayConnect = mayConnect;
    }

    /** Runs {@code task} on the scheduler's thread every {@code period}, while it runs. */
    public void every(Duration period, Runnable task) {
        timer.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** No new cycles from now on; waits up to {@code limit} for those in flight to end. */
    public void drain(Duration limit) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + limit.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (inFlight.get() > 0) {
            LOG.info("{} cycles still in flight at shutdown", inFlight.get());
        }
    }

    private volatile BooleanSupplier mayConnect = () -> true;
    private volatile BiConsumer<String, Instant> cycleEnded = (ecu, polled) -> { };

    /**
     * Told, on the scheduler's thread, of every cycle that sent a request, once it has ended: the ECU and when the
     * cycle's first request went out (cluster mode writes the ECU's state then). Must not block.
     */
    public void onCycleEnd(BiConsumer<String, Instant> listener) {
        this.cycleEnded = listener;
    }

    private void due(Entry e) {
        if (e.whenRemoved != null || draining) {
            return;
        }
        long now = System.nanoTime();
        e.nextDue += intervalNanos;
        if (e.nextDue <= now) {
            e.nextDue = now + intervalNanos; // more than an interval late: the rhythm restarts from now
        }
        timer.schedule(() -> due(e), e.nextDue - now, TimeUnit.NANOSECONDS);
        if (!health.due(e.ecu.name()) || !mayConnect.getAsBoolean()) {
            return;
        }
        due.increment();
        if (e.cycle != null) {
            e.dueAgain = true;
        } else if (!e.queued) {
            offer(e);
        }
    }

    private void offer(Entry e) {
        if (waiting.isEmpty() && inFlight.get() < maxInFlight) {
            begin(e);
        } else {
            e.queued = true;
            waiting.add(e);
        }
    }

    private void begin(Entry e) {
        inFlight.incrementAndGet();
        Exchange cycle = stepEndpoint.createExchange();
        cycle.setProperty(ExchangeProperties.ECU, e.ecu.name());
        cycle.setProperty(ExchangeProperties.HOST, e.ecu.host());
        cycle.setProperty(ExchangeProperties.ZONE, e.ecu.zone());
        cycle.setProperty(ExchangeProperties.STEP, "info");
        e.cycle = cycle;
        send(e);
    }

    private void send(Entry e) {
        if (!mayConnect.getAsBoolean()) {
            LOG.info("ECU {}: cycle ended before its {} request: this instance may no longer own it", e.ecu.name(),
                    e.cycle.getProperty(ExchangeProperties.STEP));
            end(e);
            return;
        }
        if (e.polled == null) {
            e.polled = Instant.now();
        }
        step.process(e.cycle, doneSync -> {
            try {
                timer.execute(() -> stepDone(e));
            } catch (RejectedExecutionException stopped) {
                LOG.info("ECU {}: cycle abandoned at shutdown", e.ecu.name());
            }
        });
    }

    private void stepDone(Entry e) {
        Exchange cycle = e.cycle;
        String done = cycle.getProperty(ExchangeProperties.STEP, String.class);
        if (cycle.getException() != null) {
            LOG.warn("ECU {}: cycle ended by {}", e.ecu.name(), cycle.getException().toString());
        }
        boolean historyDue = "signal".equals(done) && Boolean.TRUE.equals(cycle.getProperty(ExchangeProperties.HISTORY_DUE));
        if (cycle.getException() != null || cycle.getProperty(Exchange.EXCEPTION_CAUGHT) != null
                || "history".equals(done) || ("signal".equals(done) && !historyDue)) {
            end(e);
            return;
        }
        cycle.setProperty(ExchangeProperties.STEP, "info".equals(done) ? "realtime" : historyDue ? "history" : "signal");
        timer.schedule(() -> send(e), pauseMillis, TimeUnit.MILLISECONDS);
    }

    private void end(Entry e) {
        e.cycle = null;
        inFlight.decrementAndGet();
        if (e.polled != null) {
            try {
                cycleEnded.accept(e.ecu.name(), e.polled);
            } catch (RuntimeException failed) {
                LOG.warn("ECU {}: after its cycle: {}", e.ecu.name(), failed.toString());
            }
            e.polled = null;
        }
        if (e.whenRemoved != null) {
            e.whenRemoved.run();
        } else if (e.dueAgain && !draining) {
            e.dueAgain = false;
            offer(e);
        }
        while (!waiting.isEmpty() && inFlight.get() < maxInFlight && !draining) {
            Entry next = waiting.poll();
            next.queued = false;
            if (next.whenRemoved == null) {
                begin(next);
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        stepEndpoint = context.getEndpoint("direct:ecu-step");
        step = stepEndpoint.createAsyncProducer();
        ServiceHelper.startService(step);
        // one thread; an unbounded queue, since it holds every ECU's next due time (Camel's default holds 1,000)
        timer = context.getExecutorServiceManager().newScheduledThreadPool(this, "ecu-poll",
                new ThreadPoolProfileBuilder("ecu-poll").poolSize(1).maxQueueSize(Integer.MAX_VALUE).build());
    }

    @Override
    protected void doStop() {
        draining = true;
        context.getExecutorServiceManager().shutdownNow(timer);
        ServiceHelper.stopService(step);
    }
}
