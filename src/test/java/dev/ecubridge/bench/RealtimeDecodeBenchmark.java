package dev.ecubridge.bench;

import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.ReplyDecoder;
import dev.ecubridge.protocol.Vectors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding throughput of the captured realtime frames (1 to 11 inverters each), one thread = one core.
 * Run: {@code mvn -q test-compile exec:exec@bench}. The score is frames per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Threads(1)
public class RealtimeDecodeBenchmark {

    /** The number of realtime captures among the shared vectors. */
    static final int FRAMES = 12;

    private byte[][] frames;

    @Setup
    public void load() {
        frames = Vectors.valid().stream()
                .map(Vectors.Vector::frame)
                .filter(f -> ReplyDecoder.decode(f, EcuCommand.REALTIME) instanceof EcuReply)
                .toArray(byte[][]::new);
        if (frames.length != FRAMES) {
            throw new IllegalStateException("expected " + FRAMES + " realtime frames, found " + frames.length);
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeRealtime(Blackhole bh) {
        for (byte[] frame : frames) {
            DecodeResult r = ReplyDecoder.decode(frame, EcuCommand.REALTIME);
            bh.consume(r);
        }
    }
}
