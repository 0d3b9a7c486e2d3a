package dev.ecubridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.protocol.Vectors.Vector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EcuFrameDecoderTest {

    static List<Vector> frames() {
        return Vectors.valid();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void oneByteReadsGiveTheWholeFrame(Vector vector) {
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder());
        byte[] frame = vector.frame();
        for (int i = 0; i < frame.length; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(frame, i, 1));
            if (i < frame.length - 1) {
                assertThat((Object) channel.readInbound()).as("nothing before byte " + (i + 1)).isNull();
            }
        }
        assertThat(readFrames(channel)).containsExactly(FrameFiles.toHex(frame));
        assertThat(channel.finish()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void randomSplitsGiveTheWholeFrame(Vector vector) {
        Random random = new Random(vector.name().hashCode());
        byte[] frame = vector.frame();
        for (int round = 0; round < 50; round++) {
            EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder());
            int at = 0;
            while (at < frame.length) {
                int n = 1 + random.nextInt(frame.length - at);
                channel.writeInbound(Unpooled.wrappedBuffer(frame, at, n));
                at += n;
            }
            assertThat(readFrames(channel)).containsExactly(FrameFiles.toHex(frame));
            channel.finishAndReleaseAll();
        }
    }

    /** What the decoder reported as dropped after the reply: whole frame-shaped pieces and bytes. */
    private static final class Dropped implements EcuFrameDecoder.Discards {
        int frames;
        int bytes;
        int calls;

        @Override
        public void discarded(int frames, int bytes) {
            this.frames += frames;
            this.bytes += bytes;
            calls++;
        }
    }

    private static final byte[] SET_CLOCK = "APS1100450006216200001234END20000101000000END\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void onlyTheFirstFrameOfAConnectionIsHandedOnAndWhatFollowsIsDroppedAndCounted() {
        byte[] reply = Vectors.named("ecu-b_info_fw1.2.33").frame();
        byte[] again = Vectors.named("qt2_realtime_day_ecu-r_01").frame();
        byte[] status = Vectors.named("ecu-b_realtime_status02_nodata_no_trailer").frame();
        Dropped dropped = new Dropped();
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder(dropped));
        channel.writeInbound(Unpooled.wrappedBuffer(reply, SET_CLOCK, again, status));
        assertThat(readFrames(channel)).containsExactly(FrameFiles.toHex(reply));
        assertThat(dropped.frames).isEqualTo(3);
        assertThat(dropped.bytes).isEqualTo(SET_CLOCK.length + again.length + status.length);
        // and in later reads, as long as the connection lasts
        channel.writeInbound(Unpooled.wrappedBuffer(reply));
        assertThat(readFrames(channel)).isEmpty();
        assertThat(dropped.frames).isEqualTo(4);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFrameShapedPieceSplitAcrossReadsIsDroppedAsOneFrameAndBytesThatAreNoFrameAsBytes() {
        byte[] reply = Vectors.named("ecu-b_info_fw1.2.33").frame();
        Dropped dropped = new Dropped();
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder(dropped));
        channel.writeInbound(Unpooled.wrappedBuffer(reply, Arrays.copyOf(SET_CLOCK, 20)));
        assertThat(readFrames(channel)).containsExactly(FrameFiles.toHex(reply));
        assertThat(dropped.bytes).as("waits for the rest of a frame-shaped piece").isZero();
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(SET_CLOCK, 20, SET_CLOCK.length)));
        assertThat(dropped.frames).isEqualTo(1);
        assertThat(dropped.bytes).isEqualTo(SET_CLOCK.length);
        channel.writeInbound(ascii("\r\nHTTP/1.1 400"), ascii("APS11004"));
        assertThat(dropped.frames).isEqualTo(1);
        assertThat(dropped.bytes).isEqualTo(SET_CLOCK.length + 14);
        channel.writeInbound(ascii("APS1100450006"));
        channel.finish(); // the peer closes: the incomplete piece is dropped as bytes
        assertThat(readFrames(channel)).isEmpty();
        assertThat(dropped.frames).isEqualTo(1);
        assertThat(dropped.bytes).isEqualTo(SET_CLOCK.length + 14 + 8 + 13);
    }

    @Test
    void anErrorAfterTheReplyDoesNotReachTheExchange() {
        List<Throwable> errors = new ArrayList<>();
        ChannelInboundHandlerAdapter exchange = new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder(), exchange);
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset"));
        assertThat(errors).as("before the reply, an error is the exchange's").hasSize(1);
        channel.writeInbound(Unpooled.wrappedBuffer(Vectors.named("ecu-b_info_fw1.2.33").frame()));
        readFrames(channel);
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset"));
        assertThat(errors).as("after it, nothing on this connection is").hasSize(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void noReplyNoDiscards() {
        Dropped dropped = new Dropped();
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder(dropped));
        byte[] reply = Vectors.named("ecu-b_info_fw1.2.33").frame();
        channel.writeInbound(Unpooled.wrappedBuffer(reply));
        assertThat(readFrames(channel)).hasSize(1);
        channel.finish();
        assertThat(dropped.calls).isZero();
    }

    @Test
    void lineFeedsInsideBinaryFieldsDoNotEndTheFrame() {
        // ECU-R-Pro info with 10 inverters: the count's low byte is 0x0a (ksheumaker#39)
        InfoReply info = (InfoReply) ReplyDecoder.decode(Vectors.named("ecu-r-pro_info_fw2.1.29A_aps12").frame());
        byte[] frame = ReplyEncoder.info(new InfoReply(info.group(), info.ecuId(), info.variant(), info.lifetimeEnergyRaw(),
                0x0a0a, info.todayEnergyRaw(), info.lastEmaContact(), 10, 10, info.zigbeeChannel(), info.firmware(),
                info.timezone(), info.mac1(), info.mac2()));
        int lf = indexOf(frame, (byte) '\n');
        assertThat(lf).isLessThan(frame.length - 1);
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, lf + 1));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(frame, lf + 1, frame.length - lf - 1));
        assertThat(readFrames(channel)).containsExactly(FrameFiles.toHex(frame));
    }

    @Test
    void bytesThatAreNotAFrameAreAnExplainedFailureHandedOnAtOnceAndTheRestIsDropped() {
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder());
        FrameError error = corruption(channel, "HTTP/1.1 400 Bad Request\r\n");
        assertThat(error.offset()).isZero();
        assertThat(error.message()).contains("does not start with 'APS'").contains("offset 0");
        // whatever follows on that connection is discarded, not buffered
        channel.writeInbound(Unpooled.wrappedBuffer(Vectors.named("ds3_realtime_day_ecu-b_01").frame()));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void garbageIsRejectedBeforeALengthCouldBeRead() {
        FrameError error = corruption(new EmbeddedChannel(new EcuFrameDecoder()), "AP\u0000");
        assertThat(error.offset()).isEqualTo(2);
        assertThat(error.message()).contains("offset 2");
    }

    @Test
    void nonDecimalLengthIsRejected() {
        assertThat(corruption(new EmbeddedChannel(new EcuFrameDecoder()), "APS1100x50002").message())
                .contains("length field at offset 5 is not 4 decimal digits: '00x5'");
    }

    @Test
    void absurdlyShortLengthIsRejected() {
        assertThat(corruption(new EmbeddedChannel(new EcuFrameDecoder()), "APS110003").message())
                .contains("says 3, shorter than the shortest reply");
    }

    @Test
    void unknownGroupIsRejected() {
        FrameError error = corruption(new EmbeddedChannel(new EcuFrameDecoder()), "APS99");
        assertThat(error.offset()).isEqualTo(3);
        assertThat(error.message()).contains("group at offset 3 is '99'");
    }

    /** Bad bytes are one value in place of the reply, never an exception through the pipeline. */
    private static FrameError corruption(EmbeddedChannel channel, String input) {
        channel.writeInbound(ascii(input));
        Object handedOn = channel.readInbound();
        assertThat(handedOn).isInstanceOf(FrameError.class);
        FrameError error = (FrameError) handedOn;
        assertThat(error.kind()).isEqualTo(FrameError.Kind.CORRUPTED);
        assertThat((Object) channel.readInbound()).as("one value, then nothing").isNull();
        return error;
    }

    @Test
    void neverBuffersMoreThanTheLargestPossibleFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder());
        channel.writeInbound(ascii("APS1199990002"));
        byte[] chunk = new byte[1000];
        for (int i = 0; i < 9; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
        }
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[10_000 - 13 - 9000]));
        ByteBuf frame = channel.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(10_000);
        frame.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aPeerClosingMidFrameHandsOnWhatCameForAnExplanationNotASilentGap() {
        byte[] frame = Vectors.named("qt2_realtime_day_ecu-r_01").frame();
        EmbeddedChannel channel = new EmbeddedChannel(new EcuFrameDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 100));
        assertThat((Object) channel.readInbound()).isNull();
        channel.finish();
        ByteBuf partial = channel.readInbound();
        byte[] bytes = ByteBufUtil.getBytes(partial);
        partial.release();
        assertThat(ReplyDecoder.decode(bytes).toString())
                .isEqualTo("realtime: frame is 100 bytes, but the length field at offset 5 (0191) makes it 192: truncated");
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> readFrames(EmbeddedChannel channel) {
        List<String> frames = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readInbound()) != null; ) {
            frames.add(ByteBufUtil.hexDump(buf));
            buf.release();
        }
        return frames;
    }
}
