package dev.ecubridge.simulator;

import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.ReplyDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server that answers the 8899 protocol as an ECU does, from a {@link ReplySource}, with switchable
 * {@link Faults}. Only the read-only queries are answered; anything else gets no reply and changes nothing. Every
 * request received is recorded ({@link #receivedCommands()}, {@link #received()}), so a test can check on the ECU's
 * side what a client sent. Like the ECU it drops a connection that stays idle for 15 s.
 */
public final class EcuServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EcuServer.class);
    private static final int IDLE_SECONDS = 15;
    private static final int RECENT = 1000;
    /** How long another connection may stay open after a request came in on a new one: its FIN may still be queued. */
    static final long OVERLAP_GRACE_MS = 1000;

    private final String name;
    private final ReplySource source;
    private final Faults faults;
    private final String host;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger answeredSincePowerOn = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicInteger maxOpen = new AtomicInteger();
    /** The connections open on this side, each with whether a request on it is being answered right now. */
    private final Map<Channel, Boolean> openChannels = new ConcurrentHashMap<>();
    private final AtomicInteger overlapChecks = new AtomicInteger();
    private final Map<String, AtomicLong> commands = new ConcurrentSkipListMap<>();
    private final Deque<Received> recent = new ArrayDeque<>();
    private final AtomicLong outOfOrder = new AtomicLong();
    private volatile EcuCommand lastQuery;
    private volatile Channel serverChannel;
    private volatile boolean hung;
    private volatile int port;

    /**
     * One request as the ECU received it: its command code ("0001"; "0006" for set-clock; "" for bytes that are no
     * request at all) and its raw bytes.
     */
    public record Received(String command, byte[] bytes) {

        static Received of(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            return new Received(text.startsWith("APS") && text.length() >= 13 ? text.substring(9, 13) : "", bytes);
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.ISO_8859_1).strip();
        }
    }

    public EcuServer(String name, ReplySource source, Faults faults, String host, int port, EventLoopGroup group) {
        this.name = name;
        this.source = source;
        this.faults = faults;
        this.host = host;
        this.port = port;
        this.ownsGroup = group == null;
        this.group = group == null ? new NioEventLoopGroup(1) : group;
    }

    public EcuServer start() throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0), new RequestFramer(), new Connection());
                    }
                });
        serverChannel = bootstrap.bind(host, port).sync().channel();
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        return this;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public Faults faults() {
        return faults;
    }

    /** True while a hang-after fault keeps the port closed. */
    public boolean isHung() {
        return hung;
    }

    /** Connections accepted so far. */
    public long connections() {
        return connections.get();
    }

    /** Requests answered so far. */
    public long answered() {
        return answered.get();
    }

    /** How many requests of each command code this ECU has received, queries or not ("" for no request at all). */
    public Map<String, Long> receivedCommands() {
        Map<String, Long> counts = new TreeMap<>();
        commands.forEach((code, n) -> counts.put(code, n.get()));
        return counts;
    }

    /** The last 1000 requests received, oldest first. */
    public List<Received> received() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private void record(byte[] bytes) {
        Received r = Received.of(bytes);
        commands.computeIfAbsent(r.command(), k -> new AtomicLong()).incrementAndGet();
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(r);
        }
    }

    /**
     * The most connections a client had open to this ECU at once, as this side can tell for sure: 1 once any
     * connection was accepted, and 1 + n when a request arrived on one connection while n other connections of this
     * ECU were open and each of them either
     * <ul>
     * <li>was still open {@value #OVERLAP_GRACE_MS} ms later, or</li>
     * <li>had a request being answered at that moment (received, no byte of its reply written yet): its client was
     * waiting for that reply, so it had not closed it.</li>
     * </ul>
     * Not simply the channels open here at once: a client that closes a connection and opens the next one at once
     * (one request per connection) may see its next connection accepted here before this side has read the previous
     * one's FIN, and that is no overlap. A client that really holds two connections (or sends on a second one while
     * the first one's request is being answered) is counted as such.
     */
    public int maxConcurrentConnections() {
        // the checks still within their grace time first: what they find counts too
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OVERLAP_GRACE_MS * 3);
        while (overlapChecks.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return maxOpen.get();
    }

    /**
     * Queries that did not follow a collector's cycle (info, then realtime, then signal, or info again after any of
     * them): a realtime or signal query out of turn shows two cycles overlapping.
     */
    public long outOfOrderQueries() {
        return outOfOrder.get();
    }

    public int openConnections() {
        return open.get();
    }

    /** Like pulling the plug of a hung ECU: the port opens again and the hang-after count restarts. */
    public synchronized void powerCycle() throws InterruptedException {
        answeredSincePowerOn.set(0);
        if (hung) {
            serverChannel.closeFuture().sync();
            hung = false;
            start();
            LOG.info("{}: power-cycled, listening again on port {}", name, port);
        }
    }

    private synchronized void closePort() {
        serverChannel.close(); // asynchronously: this runs on the event loop
        LOG.info("{}: hung after {} answers: port {} refuses connections until power-cycled", name,
                answeredSincePowerOn.get(), port);
    }

    /** Command 0006, "set clock" to 2000-01-01: frame-shaped like a reply, and a write if it ever reached an ECU. */
    static byte[] setClock(String ecuId) {
        return ("APS1100450006" + ecuId + "END20000101000000END\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.incrementAndGet();
            int now = open.incrementAndGet();
            openChannels.put(ctx.channel(), false);
            maxOpen.accumulateAndGet(1, Math::max);
            if (hung || (now > 1 && faults.isActive(Fault.REFUSE_CONCURRENT, null))) {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            openChannels.remove(ctx.channel());
        }

        /** See {@link #maxConcurrentConnections()}. */
        private void checkOverlap(Channel self) {
            Set<Channel> answering = ConcurrentHashMap.newKeySet();
            Set<Channel> others = ConcurrentHashMap.newKeySet();
            openChannels.forEach((ch, busy) -> {
                if (ch != self) {
                    others.add(ch);
                    if (busy) {
                        answering.add(ch);
                    }
                }
            });
            if (!answering.isEmpty()) {
                maxOpen.accumulateAndGet(1 + answering.size(), Math::max);
            }
            if (others.isEmpty()) {
                return;
            }
            overlapChecks.incrementAndGet();
            self.eventLoop().schedule(() -> {
                try {
                    Set<Channel> overlapping = ConcurrentHashMap.newKeySet();
                    overlapping.addAll(answering);
                    others.stream().filter(openChannels::containsKey).forEach(overlapping::add);
                    if (!overlapping.isEmpty()) {
                        maxOpen.accumulateAndGet(1 + overlapping.size(), Math::max);
                    }
                } finally {
                    overlapChecks.decrementAndGet();
                }
            }, OVERLAP_GRACE_MS, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            byte[] bytes = ByteBufUtil.getBytes(msg);
            record(bytes);
            openChannels.replace(ctx.channel(), true);
            checkOverlap(ctx.channel());
            try {
                answer(ctx, bytes);
            } finally {
                openChannels.replace(ctx.channel(), false);
            }
        }

        private void answer(ChannelHandlerContext ctx, byte[] bytes) {
            Optional<EcuRequest> parsed = EcuRequest.parse(bytes);
            if (parsed.isEmpty()) {
                LOG.debug("{}: ignoring a request that is not a read-only query: {}", name, ByteBufUtil.hexDump(bytes));
                return;
            }
            EcuRequest request = parsed.get();
            EcuCommand command = request.command();
            checkOrder(command);
            if (faults.isActive(Fault.STALL, command)) {
                return;
            }
            if (faults.isActive(Fault.RESET, command)) {
                openChannels.replace(ctx.channel(), false);
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0); // close() then sends RST, not FIN
                ctx.close();
                return;
            }
            if (faults.isActive(Fault.ECHO, command)) {
                openChannels.replace(ctx.channel(), false);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(request.bytes())); // with the LF the framer skipped
                return;
            }
            byte[] reply = source.reply(request);
            if (reply == null) {
                return;
            }
            answered.incrementAndGet();
            int since = answeredSincePowerOn.incrementAndGet();
            boolean hangNow = faults.get(Fault.HANG_AFTER, null).map(spec -> since >= spec.parameter()).orElse(false);
            if (hangNow) {
                hung = true; // before the reply leaves, so whoever reads it sees the ECU hung
            }
            send(ctx, command, appended(request, faults.corrupt(command, reply)));
            if (hangNow) {
                closePort();
            }
        }

        /** What a misbehaving ECU sends in the same TCP write after its reply. */
        private byte[] appended(EcuRequest request, byte[] reply) {
            EcuCommand command = request.command();
            byte[] after = faults.isActive(Fault.TRAILING_WRITE, command) ? setClock(ecuIdOf(request, reply))
                    : faults.isActive(Fault.ANSWER_TWICE, command) ? reply : new byte[0];
            byte[] out = Arrays.copyOf(reply, reply.length + after.length);
            System.arraycopy(after, 0, out, reply.length, after.length);
            return out;
        }

        private void checkOrder(EcuCommand command) {
            EcuCommand last = lastQuery;
            boolean inTurn = switch (command) {
                case REALTIME -> last == EcuCommand.INFO;
                case SIGNAL -> last == EcuCommand.REALTIME;
                default -> true;
            };
            if (!inTurn) {
                outOfOrder.incrementAndGet();
            }
            lastQuery = command;
        }

        private void send(ChannelHandlerContext ctx, EcuCommand command, byte[] reply) {
            // before the first byte leaves: once the client has it, it may close and connect again at once
            openChannels.replace(ctx.channel(), false);
            if (faults.isActive(Fault.CLOSE_MID_FRAME, command)) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(reply, 0, reply.length / 2)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            Optional<Fault.Spec> slow = faults.get(Fault.SLOW_DRIP, command);
            if (slow.isPresent() || faults.isActive(Fault.DRIP, command)) {
                long intervalMicros = slow.map(s -> s.parameter() * 1_000_000L / reply.length).orElse(2_000L);
                drip(ctx, reply, 0, intervalMicros);
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
        }

        private void drip(ChannelHandlerContext ctx, byte[] reply, int at, long intervalMicros) {
            if (at >= reply.length || !ctx.channel().isActive()) {
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(reply, at, 1));
            ctx.executor().schedule(() -> drip(ctx, reply, at + 1, intervalMicros), intervalMicros, TimeUnit.MICROSECONDS);
        }

        private String ecuIdOf(EcuRequest request, byte[] reply) {
            if (request.ecuId() != null) {
                return request.ecuId();
            }
            DecodeResult info = ReplyDecoder.decode(reply);
            return info instanceof InfoReply ? ((InfoReply) info).ecuId() : "000000000000";
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: connection error: {}", name, cause.toString());
            ctx.close();
        }
    }
}
