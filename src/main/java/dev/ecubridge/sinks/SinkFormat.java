package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.camel.Exchange;

/** What a sink type adds to the common delivery rule: what it sends for the data handed over, and how it is stored. */
public interface SinkFormat {

    /** The deliveries for the exchange's body (a snapshot, a history day, meter readings...), in order; empty: none. */
    List<?> deliveries(Exchange exchange);

    /** A delivery as the outbox stores it. */
    JsonNode encode(Object delivery);

    Object decode(JsonNode stored);

    /** Sets what a send needs besides the body (headers); the send route calls it. */
    default void beforeSend(Exchange exchange) {
    }
}
