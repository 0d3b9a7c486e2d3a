package dev.ecubridge.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config FILE} of the commands that run the bridge. */
final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "settings file to use instead of ./application.properties; its keys override the jar's defaults, "
                    + "environment variables and -Dkey=value override both")
    Path file;

    SettingsSources sources() {
        return SettingsSources.configOption(file);
    }

    /** Prints each problem as one line; true if there were any (exit code 2). */
    static boolean report(List<String> problems, PrintWriter err) {
        problems.forEach(p -> err.println("configuration: " + p));
        err.flush();
        return !problems.isEmpty();
    }
}
