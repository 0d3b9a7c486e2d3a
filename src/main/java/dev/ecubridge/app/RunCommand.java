package dev.ecubridge.app;

import java.util.concurrent.Callable;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Run the bridge (the default command): poll the ECUs of the settings and publish to the enabled sinks.",
                "Settings, each overriding the one before key by key: the defaults inside the jar (below), "
                        + "./application.properties or --config FILE, environment variables (upper case, dots and dashes as "
                        + "underscores: ecubridge.sink.mqtt.broker-url -> ECUBRIDGE_SINK_MQTT_BROKER_URL), -Dkey=value.",
                "User routes: every *.yaml file of routes.d beside the settings file (or ecubridge.user-routes.directory) is loaded at start.",
                "Exit code 2: the settings have problems, or a port or directory they name cannot be used, or a user route "
                        + "file cannot be loaded (one line each on stderr)."},
        footerHeading = "%nKeys and their defaults (put the lines you change in ./application.properties):%n")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config = new ConfigOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EcuBridgeApp app = new EcuBridgeApp(config.sources());
        Settings settings = app.settings();
        if (ConfigOption.report(app.startProblems(settings), spec.commandLine().getErr())) {
            return 2;
        }
        settings.warnings().forEach(w -> spec.commandLine().getErr().println("configuration warning: " + w));
        spec.commandLine().getErr().flush();
        Main main = app.createMain(settings);
        try {
            return main.run(new String[0]);
        } catch (Exception e) {
            // a user route file that Camel cannot load: one line naming it, like the settings' problems
            if (ConfigOption.report(app.userRouteProblem(e).map(problem -> "user route " + problem).stream().toList(),
                    spec.commandLine().getErr())) {
                return 2;
            }
            throw e;
        }
    }
}
