package dev.ecubridge.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecubridge.exchange.Headers;
import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.FrameError;
import dev.ecubridge.protocol.FrameException;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.ReplyDecoder;
import dev.ecubridge.protocol.Vectors;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.Test;

/** The converters are found by a plain CamelContext through the TypeConverterLoader service file; nothing registers them here. */
class EcuReplyConvertersTest extends CamelTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:reply").convertBodyTo(EcuReply.class);
                from("direct:result").convertBodyTo(DecodeResult.class);
                from("direct:guarded")
                        .onException(FrameException.class).handled(true)
                            .process(e -> e.getMessage().setBody("rejected: " + ObjectHelper.getException(FrameException.class,
                                    e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)).error().message()))
                        .end()
                        .convertBodyTo(EcuReply.class);
            }
        };
    }

    @Test
    void convertsEveryCaptureInARunningContext() {
        for (Vectors.Vector v : Vectors.valid()) {
            EcuReply viaCamel = template.requestBody("direct:reply", v.frame(), EcuReply.class);
            assertThat(viaCamel).as(v.name()).isEqualTo(ReplyDecoder.decode(v.frame()));
        }
        assertThat(context.getTypeConverter().convertTo(EcuReply.class, Vectors.named("ecu-b_info_fw1.2.33").frame()))
                .isInstanceOf(InfoReply.class);
    }

    @Test
    void checksTheCommandNamedInTheHeader() {
        byte[] realtime = Vectors.named("qt2_realtime_day_ecu-r_01").frame();
        assertThat(template.requestBodyAndHeader("direct:reply", realtime, Headers.COMMAND, EcuCommand.REALTIME))
                .isInstanceOf(RealtimeReply.class);
        Object result = template.requestBodyAndHeader("direct:result", realtime, Headers.COMMAND, "SIGNAL");
        assertThat(result).isInstanceOf(FrameError.class);
        assertThat(((FrameError) result).kind()).isEqualTo(FrameError.Kind.UNEXPECTED_COMMAND);
    }

    @Test
    void aBadFrameIsATypedFailureTheRouteCanHandle() {
        byte[] truncated = Vectors.named("signal_yc1000_ecu-r-pro_TRUNCATED").frame();
        assertThat(template.requestBody("direct:result", truncated)).isInstanceOf(FrameError.class);
        assertThat(template.requestBody("direct:guarded", truncated, String.class))
                .isEqualTo("rejected: signal: frame is 85 bytes, but the length field at offset 5 (0095) makes it 96: truncated");
        assertThatThrownBy(() -> template.requestBody("direct:reply", truncated))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseInstanceOf(FrameException.class);
        // the route lives on
        assertThat(template.requestBody("direct:reply", Vectors.named("signal_qt2_ecu-r_01").frame())).isNotNull();
    }

    @Test
    void anEchoOfTheRequestIsNoReplyAndNeitherIsTheRequestHandedBack() {
        EcuRequest request = EcuRequest.realtime("216300007004");
        Object echo = template.requestBodyAndHeaders("direct:result", request.bytes(),
                java.util.Map.of(Headers.COMMAND, request.command(), Headers.REQUEST, request));
        assertThat(echo).isInstanceOf(FrameError.class);
        assertThat(((FrameError) echo).kind()).isEqualTo(FrameError.Kind.ECHO);
        assertThat(echo.toString()).isEqualTo("realtime: no reply: the ECU echoed the request");
        // camel-netty leaves the request as the body when the ECU closes without a byte
        Object closed = template.requestBodyAndHeader("direct:result", request, Headers.REQUEST, request);
        assertThat(((FrameError) closed).kind()).isEqualTo(FrameError.Kind.NO_REPLY);
        assertThat(closed.toString()).isEqualTo("realtime: no reply: the ECU closed the connection without answering");
    }
}
