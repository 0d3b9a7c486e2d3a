package dev.ecubridge.sinks;

import java.util.List;
import org.apache.camel.Exchange;

/**
 * One enabled sink instance, bound as {@code sink-NAME} for routes/sinks.yaml: its format and its outbox (also bound,
 * as {@code outbox-NAME}).
 */
public final class Sink {

    private final SinkConfig config;
    private final SinkFormat format;
    private final Outbox outbox;

    public Sink(SinkConfig config, SinkFormat format, Outbox outbox) {
        this.config = config;
        this.format = format;
        this.outbox = outbox;
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

    /** The sink's queue is full (the sink far behind): its deliveries go straight to the outbox, never blocking polling. */
    public void overflow(Exchange exchange) {
        deliveries(exchange).forEach(outbox::add);
    }

    public void beforeSend(Exchange exchange) {
        format.beforeSend(exchange);
    }
}
