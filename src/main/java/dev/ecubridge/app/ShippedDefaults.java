package dev.ecubridge.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of the application.properties inside the jar, in file order, with their defaults: the one place where
 * defaults live. A key that is commented out ({@code #ecubridge.example=}) is known but has no default.
 */
final class ShippedDefaults {

    static final String RESOURCE = "application.properties";

    /** One key; {@code value} is null when the file only mentions it in a comment. */
    record Entry(String key, String value) {
    }

    private static final Pattern KEY = Pattern.compile("^(#\\s*)?((?:ecubridge|camel)\\.[A-Za-z0-9.-]+)\\s*[=:].*$");

    private ShippedDefaults() {
    }

    static List<Entry> entries() {
        try (InputStream in = ShippedDefaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            List<Entry> entries = new ArrayList<>();
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Matcher m = KEY.matcher(line.strip());
                if (m.matches()) {
                    entries.add(new Entry(m.group(2), m.group(1) != null ? null : valueOf(line)));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value as java.util.Properties reads it (escapes and all). */
    private static String valueOf(String line) throws IOException {
        Properties one = new Properties();
        one.load(new StringReader(line));
        return one.values().iterator().next().toString();
    }

    /** For {@code run --help}: one "key=default" line per key in file order, as the file has them ("#key=": no default). */
    static List<String> helpLines() {
        return entries().stream().map(e -> "  " + (e.value() == null ? "#" + e.key() + "=" : e.key() + "=" + e.value())).toList();
    }
}
