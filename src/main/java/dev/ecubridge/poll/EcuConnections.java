package dev.ecubridge.poll;

import dev.ecubridge.exchange.ExchangeProperties;
import dev.ecubridge.app.Settings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.apache.camel.component.netty.NettyEndpoint;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The camel-netty producer of every ECU, used by the {@code query} route to send one request and wait for its reply
 * without holding a thread. camel-netty needs an endpoint per host:port; a {@code toD} keeps them in Camel's dynamic
 * endpoint and producer caches (1,000 entries each), which a large fleet churns: an endpoint created, started and
 * evicted per cycle. Here each ECU's endpoint and producer are made once when the ECU is added, outside those caches,
 * and stopped when it is removed.
 * <p>
 * The reply completes on netty's event loop; the route then continues on the small pool of cycle workers, never on
 * the event loop, because what follows (decoding, files, sinks) may block.
 * <p>
 * Never two connections to one ECU at once: camel-netty ({@code disconnect=true}) closes a request's channel with an
 * asynchronous {@code channel.close()} and does not wait for it before it completes the exchange. So each ECU's
 * connections are tracked (a handler at the head of their pipeline), and a request opens its connection only once
 * the ECU's previous channel's close future has completed.
 */
public final class EcuConnections extends AsyncProcessorSupport {

    private final CamelContext context;
    /**
     * One request per connection, replies cut by the ECU's own frame decoder (placed before these decoders), and an
     * encoder that writes nothing but an {@code EcuRequest}. Fixed here, not a setting: the read-only guarantee rests
     * on them.
     */
    private static final String OPTIONS = "sync=true&textline=false&disconnect=true&producerPoolEnabled=false"
            + "&workerGroup=#ecuNettyWorkers&encoders=#ecuRequestEncoder&decoders=#ecuBytesDecoder"
            + "&requestTimeout=%d&connectTimeout=%d&nativeTransport=%b";

    private final String endpointOptions;
    private final Function<String, ChannelHandlerFactory> frameDecoderOf;
    private final int workerThreads;
    private final Map<String, AsyncProducer> producers = new ConcurrentHashMap<>();
    /** Each ECU's latest channel, open or closed: the next connection waits for its close. */
    private final Map<String, AtomicReference<Channel>> lastChannel = new ConcurrentHashMap<>();
    private final AtomicLong endpointsCreated = new AtomicLong();
    private ExecutorService workers;

    /**
     * @param requestTimeoutMs connect and reply timeout of one query ({@code ecubridge.request-timeout-ms})
     * @param nativeTransport  the worker group ({@code #ecuNettyWorkers}) is netty's epoll, not NIO
     * @param frameDecoderOf  the frame decoder of one ECU's connections, placed before the decoders of the options
     * @param workerThreads   threads that carry a cycle on after each reply
     */
    public EcuConnections(CamelContext context, int requestTimeoutMs, boolean nativeTransport,
                          Function<String, ChannelHandlerFactory> frameDecoderOf, int workerThreads) {
        this.context = context;
        this.endpointOptions = String.format(OPTIONS, requestTimeoutMs, requestTimeoutMs, nativeTransport);
        this.frameDecoderOf = frameDecoderOf;
        this.workerThreads = workerThreads;
    }

    /** Makes (or, when its address changed, remakes) the ECU's endpoint and producer. */
    public void open(Settings.Ecu ecu) throws Exception {
        NettyEndpoint endpoint = (NettyEndpoint) context.getComponent("netty")
                .createEndpoint("netty:tcp://" + ecu.host() + ":" + ecu.port() + "?" + endpointOptions);
        List<ChannelHandler> decoders = new ArrayList<>(endpoint.getConfiguration().getDecodersAsList());
        decoders.add(0, frameDecoderOf.apply(ecu.name()));
        AtomicReference<Channel> last = lastChannel.computeIfAbsent(ecu.name(), n -> new AtomicReference<>());
        decoders.add(0, new LastChannel(last));
        endpoint.getConfiguration().setDecodersAsList(decoders);
        AsyncProducer producer = endpoint.createAsyncProducer();
        ServiceHelper.startService(endpoint, producer);
        endpointsCreated.incrementAndGet();
        stop(producers.put(ecu.name(), producer));
    }

    /**
     * Stops the ECU's producer. Completes once its last connection is closed (in cluster mode the ECU's next owner
     * connects after that); its channel is remembered until then, should the ECU come back meanwhile.
     */
    public CompletableFuture<Void> close(String ecu) {
        stop(producers.remove(ecu));
        AtomicReference<Channel> last = lastChannel.get(ecu);
        Channel channel = last == null ? null : last.get();
        if (channel == null || channel.closeFuture().isDone()) {
            lastChannel.remove(ecu, last);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> {
            if (!producers.containsKey(ecu)) {
                lastChannel.remove(ecu, last);
            }
            closed.complete(null);
        });
        return closed;
    }

    /** Endpoints made since start: one per ECU added, none per cycle. */
    public long endpointsCreated() {
        return endpointsCreated.get();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        String ecu = exchange.getProperty(ExchangeProperties.ECU, String.class);
        AsyncProducer producer = producers.get(ecu);
        if (producer == null) {
            exchange.setException(new IllegalStateException("ECU " + ecu + " is no longer in the list of ECUs"));
            resume(callback);
            return false;
        }
        AtomicReference<Channel> last = lastChannel.get(ecu);
        Channel previous = last == null ? null : last.get();
        if (previous == null || previous.closeFuture().isDone()) {
            producer.process(exchange, doneSync -> resume(callback));
        } else {
            // netty completes a close future once the socket is closed, and never fails it
            previous.closeFuture().addListener(closed -> producer.process(exchange, doneSync -> resume(callback)));
        }
        return false;
    }

    private void resume(AsyncCallback callback) {
        try {
            workers.execute(() -> callback.done(false));
        } catch (RejectedExecutionException stopping) {
            callback.done(false);
        }
    }

    @Override
    protected void doStart() {
        // an unbounded queue (Camel's default holds 1,000): it never holds more than the cycles in flight, and a full
        // queue would push the work back onto netty's event loop
        workers = context.getExecutorServiceManager().newThreadPool(this, "ecu-cycle",
                new ThreadPoolProfileBuilder("ecu-cycle").poolSize(workerThreads).maxPoolSize(workerThreads)
                        .maxQueueSize(Integer.MAX_VALUE).build());
    }

    @Override
    protected void doStop() {
        producers.keySet().forEach(this::close);
        lastChannel.clear();
        context.getExecutorServiceManager().shutdown(workers);
    }

    /**
     * Remembers the channel of each new connection of one ECU. Sharable: camel-netty puts the same instance in every
     * channel's pipeline (a handler factory would be asked for a new one per channel, which it does not need).
     */
    @ChannelHandler.Sharable
    private static final class LastChannel extends ChannelInboundHandlerAdapter {

        private final AtomicReference<Channel> last;

        LastChannel(AtomicReference<Channel> last) {
            this.last = last;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            last.set(ctx.channel());
        }
    }

    private static void stop(AsyncProducer producer) {
        if (producer != null) {
            ServiceHelper.stopAndShutdownServices(producer, producer.getEndpoint());
        }
    }
}
