package dev.ecubridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EcuRequestEncoderTest {

    @Test
    void writesTheBytesOfAnEcuRequest() {
        EmbeddedChannel channel = new EmbeddedChannel(new EcuRequestEncoder());
        assertThat(channel.writeOutbound(EcuRequest.realtime("216300007004"))).isTrue();
        ByteBuf sent = channel.readOutbound();
        assertThat(ByteBufUtil.getBytes(sent)).asString().isEqualTo("APS1100280002216300007004END\n");
        sent.release();
    }

    @Test
    void refusesEverythingElseAndSendsNothing() {
        byte[] setClock = "APS1100450006216300007004END20000101000000END\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuf buffer = Unpooled.wrappedBuffer(setClock);
        for (Object other : new Object[] {setClock, buffer, new String(setClock, StandardCharsets.US_ASCII)}) {
            EmbeddedChannel channel = new EmbeddedChannel(new EcuRequestEncoder());
            ChannelFuture write = channel.writeAndFlush(other);
            assertThat(write.isSuccess()).isFalse();
            assertThat(write.cause()).isInstanceOf(NotAQueryException.class)
                    .hasMessageStartingWith("refused to send a").hasMessageEndingWith("only an EcuRequest is ever sent");
            assertThat((Object) channel.readOutbound()).as("nothing reaches the socket").isNull();
            channel.finishAndReleaseAll();
        }
        assertThat(buffer.refCnt()).as("a refused buffer is released").isZero();
    }
}
