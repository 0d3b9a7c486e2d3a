package dev.ecubridge.poll;

import dev.ecubridge.protocol.EcuFrameDecoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one ECU sent after its reply on a connection, dropped by the frame decoder: counted as
 * {@code ecubridge.wire.discarded.bytes|frames{ecu}} and said once per ECU in the log.
 */
public final class DiscardedInput implements EcuFrameDecoder.Discards {

    private static final Logger LOG = LoggerFactory.getLogger(DiscardedInput.class);

    private final String ecu;
    private final Counter frames;
    private final Counter bytes;
    private final AtomicBoolean logged = new AtomicBoolean();

    public DiscardedInput(String ecu, MeterRegistry meters) {
        this.ecu = ecu;
        this.frames = meters.counter("ecubridge.wire.discarded.frames", "ecu", ecu);
        this.bytes = meters.counter("ecubridge.wire.discarded.bytes", "ecu", ecu);
    }

    @Override
    public void discarded(int frames, int bytes) {
        this.frames.increment(frames);
        this.bytes.increment(bytes);
        if (logged.compareAndSet(false, true)) {
            LOG.warn("ECU {}: sent {} more bytes ({} frame-shaped) after its reply on one connection; dropped unread, "
                    + "as everything after the one reply of a connection is (said once; counted in "
                    + "ecubridge.wire.discarded.bytes/frames)", ecu, bytes, frames);
        }
    }
}
