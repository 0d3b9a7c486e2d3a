package dev.ecubridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A header or exchange property name shared by the routes and the Java beans is defined once, in {@link Headers} or
 * {@link ExchangeProperties}: the YAML routes use no other name (Camel's own and HTTP headers aside), the Java
 * sources spell none of them out, and every name defined there is used.
 */
class ExchangeNamesTest {

    private static final Path ROUTES = Path.of("routes");
    private static final Path JAVA = Path.of("src/main/java");

    /** ${header.X}, ${headers.X}, ${exchangeProperty.X}, ${exchangeProperties.X}: X up to the first non-name char. */
    private static final Pattern SIMPLE = Pattern.compile("\\$\\{(?:in\\.)?(header|headers|exchangeProperty|exchangeProperties)[.\\[]([\\w-]+)");
    /** setHeader / setProperty / removeHeader / removeProperty with their name on the next line. */
    private static final Pattern EIP = Pattern.compile("(setHeader|setProperty|removeHeader|removeProperty):\\s*\\n\\s*name:\\s*\"?([\\w-]+)");
    /** A name spelled out in Java where the exchange is read or written. */
    private static final Pattern JAVA_LITERAL = Pattern.compile(
            "(?:[sg]etProperty|[sg]etHeader|removeHeader|removeProperty|@ExchangeProperty|@Header)\\(\\s*\"([^\"]+)\"");

    @Test
    void theRoutesUseOnlyDeclaredNames() throws IOException {
        Set<String> declared = new TreeSet<>(constants(Headers.class).values());
        declared.addAll(constants(ExchangeProperties.class).values());
        Map<String, String> used = routeNames();
        assertThat(used).as("names the routes use").isNotEmpty();
        assertThat(used.keySet()).as("every header and exchange property a route names is declared in Headers or "
                + "ExchangeProperties").isSubsetOf(declared);
        used.forEach((name, kind) -> assertThat(constants(kind.startsWith("header") ? Headers.class : ExchangeProperties.class))
                .as(name + " is a " + kind).containsValue(name));
    }

    @Test
    void everyDeclaredNameIsUsed() throws IOException {
        Set<String> inRoutes = routeNames().keySet();
        String java = javaSources();
        for (Class<?> names : new Class<?>[] {Headers.class, ExchangeProperties.class}) {
            constants(names).forEach((field, value) -> assertThat(inRoutes.contains(value)
                    || java.contains(names.getSimpleName() + "." + field))
                    .as(names.getSimpleName() + "." + field + " (" + value + ") is used by a route or a bean").isTrue());
        }
    }

    @Test
    void javaSpellsOutNoSharedName() throws IOException {
        Set<String> literals = new TreeSet<>();
        try (Stream<Path> files = Files.walk(JAVA)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Matcher m = JAVA_LITERAL.matcher(read(f));
                while (m.find()) {
                    String name = m.group(1);
                    if (!name.startsWith("Camel") && !name.contains(".")) {
                        literals.add(f.getFileName() + ": " + name);
                    }
                }
            });
        }
        assertThat(literals).as("names written out in Java instead of Headers.X / ExchangeProperties.X").isEmpty();
    }

    /** Name to how it is used ("header" or "exchangeProperty"), from every route file. */
    private static Map<String, String> routeNames() throws IOException {
        Map<String, String> names = new TreeMap<>();
        try (Stream<Path> files = Files.list(ROUTES)) {
            files.filter(f -> f.toString().endsWith(".yaml")).forEach(f -> {
                String yaml = read(f);
                Matcher simple = SIMPLE.matcher(yaml);
                while (simple.find()) {
                    add(names, simple.group(1).startsWith("header") ? "header" : "exchangeProperty", simple.group(2));
                }
                Matcher eip = EIP.matcher(yaml);
                while (eip.find()) {
                    add(names, eip.group(1).endsWith("Header") ? "header" : "exchangeProperty", eip.group(2));
                }
            });
        }
        return names;
    }

    private static void add(Map<String, String> names, String kind, String name) {
        if (!name.startsWith("Camel") && !name.contains("-")) { // Camel's own headers, HTTP headers
            names.put(name, kind);
        }
    }

    /** Field name to value of the public string constants. */
    private static Map<String, String> constants(Class<?> type) {
        Map<String, String> constants = new TreeMap<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    constants.put(f.getName(), (String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return constants;
    }

    private static String javaSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(JAVA)) {
            files.filter(f -> f.toString().endsWith(".java") && !f.getParent().endsWith("exchange"))
                    .forEach(f -> all.append(read(f)));
        }
        return all.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
