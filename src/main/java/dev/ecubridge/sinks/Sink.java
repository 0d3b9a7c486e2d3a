package dev.ecubridge.sinks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * One enabled sink instance, bound as {@code sink-NAME} for the delivery rule (routes/sinks.yaml): how its type formats
 * (its {@link SinkFormat}), where what it does not take waits (its {@link Outbox}, also bound as {@code outbox-NAME}),
 * and what each outcome of a send means for both (its {@link SinkFailures}).
 */
public final class Sink {

    private final SinkConfig config;
    private final SinkFormat format;
    private final Outbox outbox;
    private final SinkFailures failures;
    private final Counter replayed;

    public Sink(SinkConfig config, SinkFormat format, Outbox outbox, SinkFailures failures, MeterRegistry meters) {
        this.config = config;
        this.format = format;
        this.outbox = outbox;
        this.failures = failures;
        this.replayed = meters.counter("ecubridge.outbox.replayed", "sink", config.name());
    }

    public SinkConfig config() {
        return config;
    }

    public Outbox outbox() {
        return outbox;
    }

    public List<?> deliveries(Exchange exchange) {
        return format.deliveries(exchange);
    }

    public void beforeSend(Exchange exchange) {
        format.beforeSend(exchange);
    }

    /** Deliveries wait in the outbox: a new one queues behind them, so the sink gets everything in order. */
    public void queue(Exchange exchange) {
        outbox.offer(exchange.getMessage().getBody());
    }

    /** The sink's queue is full (the sink far behind): its deliveries go straight to the outbox, never blocking polling. */
    public void overflow(Exchange exchange) {
        deliveries(exchange).forEach(outbox::offer);
    }

    /** The sink did not take a new delivery (the body; the cause in the caught exception): it waits in the outbox. */
    public void failed(Exchange exchange) {
        outbox.offer(exchange.getMessage().getBody());
        failures.failed(caught(exchange), "keeping the deliveries in " + outbox.directory() + " and replaying them when it is back");
    }

    /** The sink refused a new delivery for good (the body): dropped and counted. */
    public void refused(Exchange exchange) {
        failures.refused(caught(exchange), format.encode(exchange.getMessage().getBody()));
    }

    public boolean hasWaiting() {
        return outbox.hasNext();
    }

    /** The oldest waiting delivery, to replay. */
    public Object nextWaiting() {
        return outbox.next();
    }

    /** The sink took the oldest waiting delivery. */
    public void replayed(Exchange exchange) {
        outbox.acknowledge();
        replayed.increment();
        if (outbox.isEmpty()) {
            failures.recovered("all waiting deliveries replayed");
        }
    }

    /** The sink refused the oldest waiting delivery for good: dropped and counted, the next one is replayed. */
    public void replayRefused(Exchange exchange) {
        Outbox.Entry e = outbox.peek();
        if (e != null) {
            outbox.acknowledge();
            failures.refused(caught(exchange), format.encode(e.payload()));
        }
    }

    /** Replaying failed: the deliveries go on waiting. */
    public void replayFailed(Exchange exchange) {
        failures.failed(caught(exchange), outbox.size() + " deliveries wait in " + outbox.directory());
    }

    public boolean isEmpty() {
        return outbox.isEmpty();
    }

    /** What keeps the sink from being healthy, or null: its outbox's problem, with why the sink does not take deliveries. */
    public String problem() {
        String problem = outbox.problem();
        String cause = failures.cause();
        return problem == null || cause == null ? problem : problem + ": " + cause;
    }

    private static Throwable caught(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
