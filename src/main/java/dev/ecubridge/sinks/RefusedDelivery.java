package dev.ecubridge.sinks;

/**
 * A sink refused a delivery for good (the data itself is wrong: waiting would not help and would block what comes
 * after). Each type's send route (routes/sink-types.yaml) turns its own permanent failures into this; the delivery rule
 * (routes/sinks.yaml) drops the delivery with one log line and a counter.
 */
public final class RefusedDelivery extends RuntimeException {

    public RefusedDelivery(String message) {
        super(message);
    }
}
