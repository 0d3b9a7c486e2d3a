package dev.ecubridge.readings;

import dev.ecubridge.exchange.ExchangeProperties;
import dev.ecubridge.sinks.SinkFailures;
import dev.ecubridge.sinks.SnapshotJson;
import dev.ecubridge.snapshot.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink instance (or the files) reading the readings topic, bound as {@code readings-NAME} for the route template
 * sink-consumer (routes/sinks.yaml): turns a record back into its snapshot, skips the (ECU id, ECU time) keys the sink
 * already wrote ({@link WrittenKeys}), notes what it wrote, commits its offset, and paces the retries while the sink
 * fails. Counters {@code ecubridge.readings.consumed}, {@code .duplicates}, {@code .committed} (label sink).
 */
public final class ReadingsConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ReadingsConsumer.class);
    static final String SNAPSHOT = "readingSnapshot";
    static final String COMMIT = "readingCommit";

    private final String sink;
    private final Function<Exchange, List<?>> deliveries;
    private final WrittenKeys written;
    private final Duration retryDelay;
    private final Counter consumed;
    private final Counter duplicates;
    private final Counter committed;
    private final SinkFailures failures;

    /** @param deliveries what the sink sends for the snapshot in the body (its SinkFormat's deliveries) */
    public ReadingsConsumer(String sink, Function<Exchange, List<?>> deliveries, WrittenKeys written, Duration retryDelay,
                            SinkFailures failures, MeterRegistry meters) {
        this.sink = sink;
        this.deliveries = deliveries;
        this.written = written;
        this.retryDelay = retryDelay;
        this.consumed = meters.counter("ecubridge.readings.consumed", "sink", sink);
        this.duplicates = meters.counter("ecubridge.readings.duplicates", "sink", sink);
        this.committed = meters.counter("ecubridge.readings.committed", "sink", sink);
        this.failures = failures;
    }

    /**
     * A record: its snapshot becomes the body; the record's headers are set aside (none of them must reach a sink, e.g.
     * as HTTP headers), its commit handle kept as a property.
     */
    public void received(Exchange exchange) {
        Message m = exchange.getMessage();
        exchange.setProperty(COMMIT, m.getHeader(KafkaConstants.MANUAL_COMMIT));
        String value = m.getBody(String.class);
        m.getHeaders().clear();
        consumed.increment();
        Snapshot s;
        try {
            s = SnapshotJson.snapshot(value);
        } catch (RuntimeException e) {
            failures.refused(new IllegalArgumentException("a record of the readings topic is no snapshot: " + e.getMessage(), e), value);
            exchange.setProperty(ExchangeProperties.READING_SKIP, true);
            return;
        }
        m.setBody(s);
        exchange.setProperty(SNAPSHOT, s);
        boolean duplicate = written.contains(s.ecuId(), s.time());
        if (duplicate) {
            duplicates.increment();
            LOG.debug("Sink {}: ECU {} at {} written before; skipped", sink, s.ecuId(), s.time());
        }
        exchange.setProperty(ExchangeProperties.READING_SKIP, duplicate);
    }

    public List<?> deliveries(Exchange exchange) {
        return deliveries.apply(exchange);
    }

    /** The sink refused a delivery for good (the data's own fault): one line, counted, and the record is done. */
    public void refused(Exchange exchange) {
        Snapshot s = exchange.getProperty(SNAPSHOT, Snapshot.class);
        failures.refused(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class), "ECU " + s.ecuId() + " at " + s.time());
    }

    /**
     * The sink failed (down, timed out): after a pause the record fails, so its offset stays uncommitted and the
     * consumer reads again from there (breakOnFirstError), in order. Logged once per outage.
     */
    public void failed(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Snapshot s = exchange.getProperty(SNAPSHOT, Snapshot.class);
        failures.failed(cause, "the readings wait in Kafka from ECU " + s.ecuId() + " at " + s.time() + ", retried every "
                + retryDelay.toSeconds() + " s");
        Thread.sleep(retryDelay.toMillis());
        throw cause;
    }

    /** The sink wrote the snapshot: its key is noted before the offset is committed. */
    public void written(Exchange exchange) {
        Snapshot s = exchange.getProperty(SNAPSHOT, Snapshot.class);
        written.add(s.ecuId(), s.time());
        failures.recovered("writes again");
    }

    public void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
            committed.increment();
        }
    }

    /** Why the sink does not write now, or null. */
    public String problem() {
        String cause = failures.cause();
        return cause == null ? null : "cannot write: " + cause;
    }

    public String sink() {
        return sink;
    }
}
