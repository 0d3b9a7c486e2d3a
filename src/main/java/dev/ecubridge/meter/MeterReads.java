package dev.ecubridge.meter;

import dev.ecubridge.exchange.ExchangeProperties;
import dev.ecubridge.gate.LogLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meter routes' bean: decodes a read, turns its new points into readings ({@link MeterState}) and keeps each
 * meter's health. A failure is one log line per meter, kind and hour and a counter
 * {@code ecubridge.meter.failures{meter,kind}}; it touches nothing of the ECU's 8899 cycle.
 */
public final class MeterReads {

    private static final Logger LOG = LoggerFactory.getLogger(MeterReads.class);
    /** The series are empty for a few minutes after midnight: not a failure worth a DOWN. */
    static final Duration EMPTY_AFTER_MIDNIGHT = Duration.ofMinutes(15);

    private final List<MeterSource> sources;
    private final Map<String, MeterState> states;
    private final Function<String, String> ecuIdOf;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ZoneId zone;
    private final LogLimiter logLimiter;
    private final Map<String, Status> status = new ConcurrentHashMap<>();

    /**
     * How a meter's last reads went.
     *
     * @param lastFailure the kind and explanation of the last failed read, null after a good one
     */
    public record Status(String meter, int failuresInARow, MeterFailure lastFailure, Instant lastFailureAt,
                         Instant lastSuccess, Instant lastPoint) {

        /** Down while its reads fail, but not for an empty series just after local midnight. */
        public boolean down(ZoneId zone) {
            if (failuresInARow == 0) {
                return false;
            }
            Instant midnight = lastFailureAt.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
            return lastFailure.kind() != MeterFailure.Kind.NO_DATA
                    || lastFailureAt.isAfter(midnight.plus(EMPTY_AFTER_MIDNIGHT));
        }
    }

    /**
     * @param ecuIdOf the ECU's id by its name, once its 8899 cycle has told it; else null
     */
    public MeterReads(List<MeterSource> sources, Function<MeterSource, MeterState> stateOf, Function<String, String> ecuIdOf,
                      MeterRegistry meters, Clock clock, ZoneId zone) {
        this.sources = List.copyOf(sources);
        this.states = new ConcurrentHashMap<>();
        sources.forEach(s -> states.put(s.ecu(), stateOf.apply(s)));
        this.ecuIdOf = ecuIdOf;
        this.meters = meters;
        this.clock = clock;
        this.zone = zone;
        this.logLimiter = new LogLimiter(clock, Duration.ofHours(1));
        sources.forEach(s -> status.put(s.ecu(), new Status(s.ecu(), 0, null, null, null, null)));
    }

    /** The meters to read, for the route's split. */
    public List<MeterSource> sources() {
        return sources;
    }

    public MeterResult decode(@Header("CamelHttpResponseCode") Integer httpStatus, @Body String body) {
        return MeterDecoder.decode(httpStatus == null ? 0 : httpStatus, body);
    }

    /** The readings of the points not yet published (empty after a failure or when nothing is new). */
    public List<MeterReading> received(@ExchangeProperty(ExchangeProperties.METER) MeterSource source, @Body MeterResult result) {
        if (result instanceof MeterFailure failure) {
            failed(source, failure);
            return List.of();
        }
        MeterReply reply = (MeterReply) result;
        List<MeterReading> readings = states.get(source.ecu()).accept(reply, ecuIdOf.apply(source.ecu()));
        meters.counter("ecubridge.meter.points", "meter", source.ecu()).increment(readings.size());
        Status before = status.get(source.ecu());
        if (before.failuresInARow() > 0) {
            LOG.info("Meter {}: answers again after {} failed reads", source.ecu(), before.failuresInARow());
        }
        Instant last = reply.points().get(reply.points().size() - 1).time();
        status.put(source.ecu(), new Status(source.ecu(), 0, null, null, clock.instant(), last));
        return readings;
    }

    /** The request itself failed: timeout, refused, unreachable. */
    public List<MeterReading> requestFailed(@ExchangeProperty(ExchangeProperties.METER) MeterSource source,
                                            @ExchangeProperty("CamelExceptionCaught") Exception e) {
        MeterFailure failure = MeterDecoder.failure(e);
        if (failure.kind() == MeterFailure.Kind.HTTP_ERROR) {
            LOG.debug("Meter {}: request failed", source.ecu(), e);
        }
        failed(source, failure);
        return List.of();
    }

    public Status status(String meter) {
        return status.get(meter);
    }

    public boolean down(String meter) {
        Status s = status.get(meter);
        return s != null && s.down(zone);
    }

    /** For the route: the meter is down after this read. */
    public boolean isDown(@ExchangeProperty(ExchangeProperties.METER) MeterSource source) {
        return down(source.ecu());
    }

    private void failed(MeterSource source, MeterFailure failure) {
        String kind = failure.kind().word();
        meters.counter("ecubridge.meter.failures", "meter", source.ecu(), "kind", kind).increment();
        status.compute(source.ecu(), (k, s) -> new Status(k, s == null ? 1 : s.failuresInARow() + 1, failure,
                clock.instant(), s == null ? null : s.lastSuccess(), s == null ? null : s.lastPoint()));
        if (logLimiter.allow(source.ecu() + "/" + kind)) {
            LOG.warn("Meter {}: read failed ({}): {}", source.ecu(), kind, failure.explanation());
        }
    }
}
