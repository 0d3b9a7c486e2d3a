package dev.ecubridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcusFileTest {

    @Test
    void oneEcuALineWithCommentsAndAnOptionalZone() {
        EcusFile read = EcusFile.parse("ecus.txt", List.of(
                "# site list",
                "roof 192.0.2.10 8899",
                "",
                "barn, 192.0.2.11, 8899, Europe/Warsaw   # the farm",
                "   shed\t192.0.2.12\t18899"));
        assertThat(read.problems()).isEmpty();
        assertThat(read.ecus()).containsExactly(
                new Settings.Ecu("roof", "192.0.2.10", 8899),
                new Settings.Ecu("barn", "192.0.2.11", 8899, ZoneId.of("Europe/Warsaw")),
                new Settings.Ecu("shed", "192.0.2.12", 18899));
    }

    @Test
    void aBadLineIsReportedWithItsNumberAndTheOthersAreKept() {
        EcusFile read = EcusFile.parse("ecus.txt", List.of(
                "roof 192.0.2.10 8899",
                "roof-2 192.0.2.10",
                "attic 192.0.2.13 88x9",
                "cellar 192.0.2.14 8899 Mars/Olympus",
                "roof 192.0.2.15 8899",
                "copy 192.0.2.10 8899",
                "bad/name 192.0.2.16 8899",
                "port 192.0.2.17 70000",
                "garage 192.0.2.18 8899"));
        assertThat(read.ecus()).extracting(Settings.Ecu::name).containsExactly("roof", "garage");
        assertThat(read.problems()).hasSize(7);
        assertThat(read.problems().get(0)).startsWith("ecus.txt:2: 'roof-2 192.0.2.10': expected name, host, port");
        assertThat(read.problems().get(1)).startsWith("ecus.txt:3: ").contains("port '88x9' is not a number");
        assertThat(read.problems().get(2)).startsWith("ecus.txt:4: ").contains("'Mars/Olympus' is not a time zone");
        assertThat(read.problems().get(3)).startsWith("ecus.txt:5: ").contains("the name 'roof' is used twice");
        assertThat(read.problems().get(4)).startsWith("ecus.txt:6: ").contains("192.0.2.10:8899 is listed twice");
        assertThat(read.problems().get(5)).startsWith("ecus.txt:7: ").contains("name 'bad/name'");
        assertThat(read.problems().get(6)).startsWith("ecus.txt:8: ").endsWith("line skipped");
    }
}
