package dev.ecubridge.sinks;

import dev.ecubridge.poll.Causes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sink instance's failures say, the same whether its data waits in its outbox or in the readings topic: a
 * permanent refusal is one WARN line with the data and {@code ecubridge.outbox.dropped{reason=rejected}}; a sink that
 * does not take deliveries is one WARN line per outage (and one more when the cause changes), never one per delivery.
 */
public final class SinkFailures {

    private static final Logger LOG = LoggerFactory.getLogger(SinkFailures.class);

    private final String sink;
    private final Counter rejected;
    private volatile String cause;

    public SinkFailures(String sink, MeterRegistry meters) {
        this.sink = sink;
        this.rejected = meters.counter("ecubridge.outbox.dropped", "sink", sink, "reason", "rejected");
    }

    /** The sink refused a delivery for good (the data itself is wrong): dropped, with the data in the log, and counted. */
    public void refused(Throwable failure, Object data) {
        rejected.increment();
        LOG.warn("Sink {}: rejected a delivery for good ({}); dropped: {}", sink, Causes.root(failure), data);
    }

    /**
     * The sink did not take a delivery (down, timed out). Logged when the outage starts, with {@code waiting} (where
     * the deliveries wait), and when its cause changes; otherwise at DEBUG.
     */
    public synchronized void failed(Throwable failure, String waiting) {
        String now = Causes.root(failure);
        if (cause == null) {
            LOG.warn("Sink {}: not taking deliveries ({}); {}", sink, now, waiting);
        } else if (!now.equals(cause)) {
            LOG.warn("Sink {}: still not taking deliveries, now: {}", sink, now);
        } else {
            LOG.debug("Sink {}: still unavailable: {}", sink, now);
        }
        cause = now;
    }

    /** The sink took a delivery again. */
    public synchronized void recovered(String what) {
        if (cause != null) {
            cause = null;
            LOG.info("Sink {}: {}", sink, what);
        }
    }

    /** Why the sink does not take deliveries now, or null. */
    public String cause() {
        return cause;
    }
}
