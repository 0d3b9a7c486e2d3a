package dev.ecubridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's table of published quantities is the table in {@link Quantities}, row for row, Prometheus names included. */
class QuantitiesReadmeTest {

    @Test
    void theReadmeListsEveryQuantityWithItsPrometheusNameAndNoOther() throws Exception {
        Set<String> documented = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length > 3 && cells[1].trim().matches("ecu|inverter|channel|meter") && cells[2].trim().startsWith("`")) {
                String prometheus = cells[cells.length - 1].trim().replace("`", "");
                documented.add(cells[1].trim() + " " + cells[2].trim().replace("`", "") + " " + prometheus);
            }
        }
        Set<String> described = new HashSet<>();
        Quantities.all().forEach(q -> described.add(q.level().name().toLowerCase(Locale.ROOT) + " " + q.key() + " "
                + (q.prometheus() == null ? "—" : q.prometheus())));
        assertThat(documented).isEqualTo(described);
    }

    @Test
    void everyQuantityWithAMetricNameHasHelpAndTheNamesAreUnique() {
        Set<String> names = new HashSet<>();
        Quantities.all().stream().filter(q -> q.prometheus() != null).forEach(q -> {
            assertThat(q.prometheus()).matches("ecubridge_[a-z_]+");
            assertThat(q.help()).isNotBlank();
            assertThat(names.add(q.prometheus())).as(q.prometheus()).isTrue();
        });
        assertThat(names).hasSizeGreaterThan(10);
    }
}
