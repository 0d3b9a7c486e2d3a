package dev.ecubridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the codec: mutated, truncated, extended and random frames must give a reply or a typed
 * {@link FrameError}, never any other exception. Most mutations re-write the length field so that the frame gets
 * past the header into the field and record decoding. {@code -Dfuzz.frames=1000000 -Dfuzz.seed=N} for longer runs.
 */
class CodecFuzzTest {

    private static final int FRAMES = Integer.getInteger("fuzz.frames", 100_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261125L);

    @Test
    void mutatedFramesGiveOnlyTypedResults() {
        Random random = new Random(SEED);
        List<byte[]> seeds = seeds();
        Map<FrameError.Kind, Integer> kinds = new EnumMap<>(FrameError.Kind.class);
        int replies = 0;
        for (int i = 0; i < FRAMES; i++) {
            byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
            DecodeResult result;
            try {
                result = ReplyDecoder.decode(frame);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("frame " + i + " (seed " + SEED + ") threw instead of failing typed: "
                        + FrameFiles.toHex(frame), e);
            }
            assertThat(result).isNotNull();
            if (result instanceof FrameError) {
                FrameError error = (FrameError) result;
                assertThat(error.detail()).isNotBlank();
                kinds.merge(error.kind(), 1, Integer::sum);
            } else {
                replies++;
            }
            if (i % 64 == 0) {
                throughFramer(frame, i);
            }
        }
        System.out.printf("fuzz: %d frames (seed %d): %d decoded, failures by kind %s%n", FRAMES, SEED, replies, kinds);
        assertThat(replies).as("some mutations still decode").isPositive();
        assertThat(kinds.keySet()).as("mutations reach deep checks").contains(
                FrameError.Kind.TRUNCATED, FrameError.Kind.LAYOUT_MISMATCH, FrameError.Kind.UNKNOWN_RECORD_TYPE,
                FrameError.Kind.BAD_FIELD, FrameError.Kind.MISSING_TRAILER);
    }

    /** The stream framer must cut the frame, wait for more, or hand on a corruption value: never throw. */
    private static void throughFramer(byte[] bytes, int i) {
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder());
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            for (Object out; (out = channel.readInbound()) != null; ) {
                if (out instanceof FrameError error) {
                    assertThat(error.kind()).isEqualTo(FrameError.Kind.CORRUPTED);
                    assertThat(error.detail()).isNotBlank();
                } else {
                    ((ByteBuf) out).release();
                }
            }
            channel.finishAndReleaseAll();
        } catch (RuntimeException e) {
            fail("framer threw " + e + " for frame " + i + ": " + FrameFiles.toHex(bytes));
        }
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (Vectors.Vector v : Vectors.all()) {
            seeds.add(v.frame());
        }
        seeds.add(ReplyEncoder.statusOnly(EcuCommand.SIGNAL, "01"));
        seeds.add("APS1100230003000612340700END\n".getBytes(StandardCharsets.US_ASCII));
        return seeds;
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] f = seed.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(10)) {
                case 0: // flip a bit
                    if (f.length > 0) {
                        int at = random.nextInt(f.length);
                        f[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    break;
                case 1: // random byte
                    if (f.length > 0) {
                        f[random.nextInt(f.length)] = (byte) random.nextInt(256);
                    }
                    break;
                case 2: // truncate
                    f = Arrays.copyOf(f, random.nextInt(f.length + 1));
                    break;
                case 3: // extend with random bytes
                    f = concat(f, randomBytes(random, 1 + random.nextInt(40)));
                    break;
                case 4: // delete a run
                    if (f.length > 1) {
                        int at = random.nextInt(f.length);
                        int n = 1 + random.nextInt(Math.min(30, f.length - at));
                        f = concat(Arrays.copyOf(f, at), Arrays.copyOfRange(f, at + n, f.length));
                    }
                    break;
                case 5: // insert a run
                    int at = random.nextInt(f.length + 1);
                    f = concat(concat(Arrays.copyOf(f, at), randomBytes(random, 1 + random.nextInt(30))),
                            Arrays.copyOfRange(f, at, f.length));
                    break;
                case 6: // a record type code
                    if (f.length > 35) {
                        int p = 26 + random.nextInt(f.length - 35);
                        f[p] = (byte) ('0' + random.nextInt(10));
                        f[p + 1] = (byte) ('0' + random.nextInt(10));
                    }
                    break;
                case 7: // digits where lengths and counts live
                    if (f.length > 20) {
                        f[9 + random.nextInt(f.length - 12)] = (byte) ('0' + random.nextInt(10));
                    }
                    break;
                case 8: // entirely random
                    f = randomBytes(random, random.nextInt(200));
                    if (random.nextBoolean() && f.length > 3) {
                        f[0] = 'A';
                        f[1] = 'P';
                        f[2] = 'S';
                    }
                    break;
                default: // an inverter count
                    if (f.length > 19) {
                        f[17] = 0;
                        f[18] = (byte) random.nextInt(20);
                    }
            }
        }
        if (f.length >= 9 && random.nextInt(4) != 0) {
            fixLength(f);
        }
        return f;
    }

    private static void fixLength(byte[] f) {
        byte[] length = String.format("%04d", Math.min(9999, f.length - 1)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(length, 0, f, 5, 4);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
