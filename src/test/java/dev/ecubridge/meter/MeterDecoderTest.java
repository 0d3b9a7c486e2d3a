package dev.ecubridge.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.meter.MeterFailure.Kind;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MeterDecoderTest {

    private static MeterReply reply(String json) {
        MeterResult result = MeterDecoder.decode(200, json);
        assertThat(result).isInstanceOf(MeterReply.class);
        return (MeterReply) result;
    }

    private static Kind failure(int status, String body) {
        MeterResult result = MeterDecoder.decode(status, body);
        assertThat(result).isInstanceOf(MeterFailure.class);
        assertThat(((MeterFailure) result).explanation()).isNotBlank();
        return ((MeterFailure) result).kind();
    }

    @Test
    void thePublicCaptureOfIssue42DecodesToWhatItsPosterReported() throws Exception {
        MeterReply r = reply(Files.readString(Path.of("src/test/resources/meter/issue42_night_capture.json")));
        // 12 production points, 9 grid points with values: the 9 time stamps in both
        assertThat(r.points()).hasSize(9);
        assertThat(r.todayKwh()).isNull();
        MeterPoint first = r.points().get(0);
        assertThat(first.time()).isEqualTo(Instant.ofEpochMilli(1745618573000L));
        // power1 is production: "over night it's at almost zero"
        assertThat(first.production()).isEqualTo(new Phases(5, 0, 0));
        // power2 is the grid, drawn at night: positive = import
        assertThat(first.grid()).isEqualTo(new Phases(282, 0, 0));
        // consumption = production + grid per phase, as gui_helpers.py computes it
        assertThat(first.consumption()).isEqualTo(new Phases(287, 0, 0));
        assertThat(r.points().stream().map(p -> p.grid().a()).toList())
                .containsExactly(282, 191, 253, 149, 167, 118, 153, 129, 142);
        assertThat(r.points()).allSatisfy(p -> assertThat(p.production()).isEqualTo(new Phases(5, 0, 0)));
        assertThat(r.points().get(8).time()).isEqualTo(Instant.ofEpochMilli(1745620983000L));
    }

    @Test
    void exportIsANegativeGridPowerAndNumbersMayComeAsText() {
        MeterReply r = reply("{\"power1\":[{\"time\":1750500000000,\"powerA\":\"2156\",\"powerB\":10,\"powerC\":0.4}],"
                + "\"power2\":[{\"time\":1750500000000,\"powerA\":-537,\"powerB\":20,\"powerC\":0}],\"today_energy\":\"11.23\"}");
        MeterPoint p = r.points().get(0);
        assertThat(p.production()).isEqualTo(new Phases(2156, 10, 0));
        assertThat(p.grid()).isEqualTo(new Phases(-537, 20, 0));
        assertThat(p.consumption()).isEqualTo(new Phases(1619, 30, 0));
        assertThat(r.todayKwh()).isEqualTo(11.23);
    }

    @Test
    void pointsComeOutInTimeOrder() {
        MeterReply r = reply("{\"power1\":[{\"time\":2000,\"powerA\":2,\"powerB\":0,\"powerC\":0},{\"time\":1000,\"powerA\":1,\"powerB\":0,\"powerC\":0}],"
                + "\"power2\":[{\"time\":1000,\"powerA\":0,\"powerB\":0,\"powerC\":0},{\"time\":2000,\"powerA\":0,\"powerB\":0,\"powerC\":0}]}");
        assertThat(r.points().stream().map(p -> p.production().a()).toList()).containsExactly(1, 2);
    }

    @Test
    void everyOtherAnswerIsATypedFailure() {
        assertThat(failure(404, "<h1>Not Found</h1>")).isEqualTo(Kind.NOT_FOUND);
        assertThat(failure(500, "")).isEqualTo(Kind.HTTP_ERROR);
        assertThat(failure(200, "{\"power1\":[],\"power2\":[],\"today_energy\":\"0\"}")).isEqualTo(Kind.NO_DATA);
        assertThat(failure(200, "No Data")).isEqualTo(Kind.NO_DATA);
        assertThat(failure(200, "")).isEqualTo(Kind.NO_DATA);
        assertThat(failure(200, "{\"power1\":[{\"time\":17")).isEqualTo(Kind.MALFORMED);
        assertThat(failure(200, "<html>login</html>")).isEqualTo(Kind.MALFORMED);
        assertThat(failure(200, "[1,2]")).isEqualTo(Kind.MALFORMED);
        assertThat(failure(200, "{\"power1\":[{\"time\":1000,\"powerA\":1}],\"power2\":[]}")).isEqualTo(Kind.MALFORMED);
        assertThat(failure(200, "{\"power1\":[{\"time\":1000,\"powerA\":1,\"powerB\":0,\"powerC\":0}],"
                + "\"power2\":[{\"time\":2000,\"powerA\":1,\"powerB\":0,\"powerC\":0}]}")).isEqualTo(Kind.MALFORMED);
        assertThat(failure(200, "{\"power1\":[{\"time\":1000,\"powerA\":65535000,\"powerB\":0,\"powerC\":0}],"
                + "\"power2\":[{\"time\":1000,\"powerA\":1,\"powerB\":0,\"powerC\":0}]}")).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void aFailedRequestIsAKindToo() {
        assertThat(MeterDecoder.failure(new RuntimeException(new ConnectException("Connection refused"))).kind())
                .isEqualTo(Kind.UNREACHABLE);
        assertThat(MeterDecoder.failure(new TimeoutException("no answer")).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(MeterDecoder.failure(new IllegalStateException("boom")).kind()).isEqualTo(Kind.HTTP_ERROR);
        assertThat(List.of(Kind.values()).stream().map(Kind::word).toList())
                .contains("404", "no-data", "malformed", "timeout");
    }
}
