package dev.ecubridge.app;

import java.util.concurrent.Callable;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;

@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Run the bridge (the default command): poll the ECUs of application.properties and publish to the "
                + "enabled sinks. Reads application.properties from the working directory; every key can be overridden by "
                + "an environment variable (ecubridge.mqtt.broker-url -> ECUBRIDGE_MQTT_BROKER_URL).",
                "Exit code 2: the configuration has problems (one line each on stderr)."})
final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        EcuBridgeApp app = new EcuBridgeApp();
        Settings settings = app.settings();
        if (!settings.problems().isEmpty()) {
            settings.problems().forEach(p -> System.err.println("configuration: " + p));
            return 2;
        }
        settings.warnings().forEach(w -> System.err.println("configuration warning: " + w));
        Main main = app.createMain(settings);
        return main.run(new String[0]);
    }
}
