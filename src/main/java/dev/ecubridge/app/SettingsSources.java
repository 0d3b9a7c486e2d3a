package dev.ecubridge.app;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.component.properties.PropertiesComponent;

/**
 * Where the settings come from, each overriding the ones before it key by key: the application.properties inside
 * the jar, the user's file ({@code ./application.properties} or {@code --config FILE}), environment variables
 * ({@code ecubridge.sink.mqtt.broker-url} -> {@code ECUBRIDGE_SINK_MQTT_BROKER_URL}), then {@code -Dkey=value}.
 *
 * <p>Camel's properties component lets the first location that has a key win, so the user's file comes first in
 * {@link #locations()}. The environment and -D are resolved here, into override properties, rather than left to Camel:
 * its properties component lets an environment variable beat -D and both beat the override properties that
 * {@code demo} and the tests set, and camel-main reads {@code camel.*} keys from the environment with its own rules (it
 * skips every variable ending in {@code _PORT}, taking them for Kubernetes service links). Here one rule applies to
 * every key that either file lists, {@code ecubridge.*} and {@code camel.*} alike; Camel's own lookup of the
 * environment and -D is left only as a fallback for keys that no file lists.
 */
public record SettingsSources(Path userFile, boolean userFileRequired, Map<String, String> environment, Properties system) {

    /** The working directory's application.properties when there is one. */
    public static SettingsSources workingDirectory() {
        return new SettingsSources(Path.of("application.properties"), false, System.getenv(), System.getProperties());
    }

    /** {@code --config FILE} when given, else the working directory's application.properties. */
    public static SettingsSources configOption(Path file) {
        return file == null ? workingDirectory() : new SettingsSources(file, true, System.getenv(), System.getProperties());
    }

    /** Camel's property locations: the first one that has a key wins. */
    String locations() {
        return "file:" + userFile + ";optional=true,classpath:" + ShippedDefaults.RESOURCE;
    }

    /** A {@code --config} file that is not there. */
    List<String> problems() {
        if (userFileRequired && !Files.isRegularFile(userFile)) {
            return List.of("--config " + userFile + ": no such file");
        }
        if (userFileRequired && !Files.isReadable(userFile)) {
            return List.of("--config " + userFile + ": not readable");
        }
        return List.of();
    }

    /** Environment variables and -D for the keys of both files; -D also for keys that neither file lists. */
    Properties overrides() {
        Set<String> keys = new TreeSet<>();
        ShippedDefaults.entries().forEach(e -> keys.add(e.key()));
        keys.addAll(userFileKeys());
        system.stringPropertyNames().stream().filter(k -> k.startsWith("ecubridge.") || k.startsWith("camel.")).forEach(keys::add);
        Properties overrides = new Properties();
        for (String key : keys) {
            String value = system.getProperty(key, environment.get(environmentName(key)));
            if (value != null) {
                overrides.setProperty(key, value);
            }
        }
        return overrides;
    }

    /** Camel looks at the environment and -D only for keys that neither the files nor {@link #overrides()} have. */
    static void environmentAsFallbackOnly(org.apache.camel.spi.PropertiesComponent pc) {
        PropertiesComponent camel = (PropertiesComponent) pc;
        camel.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
        camel.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK);
    }

    /** ecubridge.sink.mqtt.broker-url -> ECUBRIDGE_SINK_MQTT_BROKER_URL */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private Set<String> userFileKeys() {
        if (!Files.isReadable(userFile)) {
            return Set.of();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(userFile, StandardCharsets.ISO_8859_1)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.stringPropertyNames();
    }
}
