package dev.ecubridge.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of {@code ecu-bridge.jar}. */
@Command(name = "ecu-bridge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Local collector for APsystems ECU gateways (ECU-R, ECU-R-Pro, ECU-B, ECU-C).",
        subcommands = {DecodeCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class EcuBridgeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EcuBridgeCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
