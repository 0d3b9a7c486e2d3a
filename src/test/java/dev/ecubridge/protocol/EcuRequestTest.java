package dev.ecubridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EcuRequestTest {

    private static final String ID = "216300007004";

    @Test
    void buildsTheQueriesOfTheSpecByteForByte() {
        assertThat(EcuRequest.info().bytes()).asString().isEqualTo("APS1100160001END\n");
        assertThat(EcuRequest.realtime(ID).bytes()).asString().isEqualTo("APS1100280002216300007004END\n");
        assertThat(EcuRequest.signal(ID).bytes()).asString().isEqualTo("APS1100280030216300007004END\n");
        assertThat(EcuRequest.powerOfDay(ID, LocalDate.of(2024, 9, 14)).bytes()).asString()
                .isEqualTo("APS1100390003216300007004END20240914END\n");
        assertThat(EcuRequest.energyHistory(ID, EnergyPeriod.WEEK).bytes()).asString()
                .isEqualTo("APS1100330004216300007004END00END\n");
        assertThat(EcuRequest.energyHistory(ID, EnergyPeriod.YEAR).bytes()).asString()
                .isEqualTo("APS1100330004216300007004END02END\n");
    }

    @Test
    void theCommandSetIsExactlyTheReadOnlyWhitelist() {
        Set<String> codes = new HashSet<>();
        for (EcuCommand c : EcuCommand.values()) {
            codes.add(c.code());
        }
        assertThat(codes).containsExactlyInAnyOrder("0001", "0002", "0030", "0003", "0004");
    }

    @Test
    void noOtherCommandCanBeBuilt() throws Exception {
        // the only ways to obtain a request are the public static factories; no constructor is reachable
        assertThat(EcuRequest.class.getConstructors()).isEmpty();
        assertThat(Modifier.isFinal(EcuRequest.class.getModifiers())).isTrue();
        Method[] factories = Arrays.stream(EcuRequest.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getReturnType() == EcuRequest.class)
                .toArray(Method[]::new);
        assertThat(factories).extracting(Method::getName)
                .containsExactlyInAnyOrder("info", "realtime", "signal", "powerOfDay", "energyHistory", "of");
        // every request any factory can build carries a whitelisted command code at bytes 9..12
        Set<String> built = new HashSet<>();
        for (EcuCommand c : EcuCommand.values()) {
            for (EcuRequest r : requestsFor(c)) {
                String text = new String(r.bytes(), java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(text).startsWith("APS11").endsWith("END\n");
                assertThat(Integer.parseInt(text.substring(5, 9))).isEqualTo(text.length() - 1);
                built.add(text.substring(9, 13));
            }
        }
        assertThat(built).containsExactlyInAnyOrder("0001", "0002", "0030", "0003", "0004");
    }

    @Test
    void parametersCannotSmuggleInAnotherCommand() {
        assertThatThrownBy(() -> EcuRequest.realtime("216300007004END\nAPS1100350015"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 digits");
        assertThatThrownBy(() -> EcuRequest.signal("21630000700")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcuRequest.realtime(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcuRequest.of(EcuCommand.POWER_OF_DAY, ID)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesAreACopy() {
        EcuRequest r = EcuRequest.info();
        r.bytes()[9] = '0';
        r.bytes()[12] = '5';
        assertThat(r.bytes()).asString().isEqualTo("APS1100160001END\n");
    }

    private static EcuRequest[] requestsFor(EcuCommand c) {
        switch (c) {
            case POWER_OF_DAY: return new EcuRequest[] {EcuRequest.powerOfDay(ID, LocalDate.of(2026, 1, 31))};
            case ENERGY_HISTORY: return Arrays.stream(EnergyPeriod.values()).map(p -> EcuRequest.energyHistory(ID, p))
                    .toArray(EcuRequest[]::new);
            default: return new EcuRequest[] {EcuRequest.of(c, ID)};
        }
    }
}
