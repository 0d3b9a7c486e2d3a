package dev.ecubridge.userroutes;

import dev.ecubridge.sinks.SnapshotJson;
import dev.ecubridge.snapshot.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two extension points user routes read (routes/user-extension.yaml hands over to them): each ECU snapshot and
 * each inverter reading as JSON, the same JSON as the files sink's lines and the MQTT states ({@link SnapshotJson}).
 * A point is named by its endpoint URI, which application.properties holds once ({@code ecubridge.user-routes.*}) and
 * both the bridge's and the user's routes read as a property placeholder.
 */
public final class UserExtension implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(UserExtension.class);

    private final Map<String, Point> points = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private CamelContext context;

    /** An extension point: its queue, and its count of drops (labelled with the queue's name). */
    private record Point(SedaEndpoint endpoint, Counter dropped) {
    }

    public UserExtension(MeterRegistry meters) {
        this.meters = meters;
    }

    /** True while a user route reads the point with this endpoint URI: without one, nothing is formatted or queued. */
    public boolean wanted(String uri) {
        return point(uri).endpoint().hasConsumers();
    }

    /** The snapshot as one JSON object: the line of the files sink, the ECU with its {@code inverter_data}. */
    public String snapshot(Snapshot s) {
        return SnapshotJson.line(s).strip();
    }

    /** One JSON object per inverter: the MQTT inverter state (ECU, inverter, time, quantities, {@code ch<N>_*}). */
    public List<String> inverterReadings(Snapshot s) {
        return s.inverters().stream().map(i -> SnapshotJson.inverter(i).toString()).toList();
    }

    /** The point's queue was full: counted, and logged at the first drop and at each tenfold after. */
    public void dropped(String uri) {
        Point point = point(uri);
        point.dropped().increment();
        long n = (long) point.dropped().count();
        if (Long.toString(n).matches("10*")) {
            LOG.warn("User routes reading {} are behind: {} messages dropped so far (queue full)", point.endpoint().getName(), n);
        }
    }

    private Point point(String uri) {
        return points.computeIfAbsent(uri, u -> {
            SedaEndpoint endpoint = context.getEndpoint(u, SedaEndpoint.class);
            return new Point(endpoint, Counter.builder("ecubridge.user-routes.dropped").tag("queue", endpoint.getName())
                    .description("Messages for user routes dropped because their queue was full (a user route far behind)")
                    .register(meters));
        });
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }
}
