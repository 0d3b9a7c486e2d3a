package dev.ecubridge.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of {@code ecu-bridge.jar}. */
@Command(name = "ecu-bridge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Local collector for APsystems ECU gateways (ECU-R, ECU-R-Pro, ECU-B, ECU-C).",
        subcommands = {RunCommand.class, DemoCommand.class, DecodeCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class EcuBridgeCli implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EcuBridgeCli()).execute(args));
    }

    /** Without a subcommand the bridge runs. */
    @Override
    public Integer call() throws Exception {
        return new RunCommand().call();
    }
}
