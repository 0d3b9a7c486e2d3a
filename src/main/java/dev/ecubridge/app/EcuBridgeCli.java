package dev.ecubridge.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of {@code ecu-bridge.jar}. */
@Command(name = "ecu-bridge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Local collector for APsystems ECU gateways (ECU-R, ECU-R-Pro, ECU-B, ECU-C).",
        subcommands = {RunCommand.class, DemoCommand.class, DecodeCommand.class, SimulateCommand.class, BackfillCommand.class, TargetsCommand.class, CommandLine.HelpCommand.class})
public final class EcuBridgeCli implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The commands, with {@code run --help} listing every key and its default from the jar's application.properties. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EcuBridgeCli());
        cli.getSubcommands().get("run").getCommandSpec().usageMessage()
                .footer(ShippedDefaults.helpLines().stream().map(line -> line.replace("%", "%%")).toArray(String[]::new));
        return cli;
    }

    /** Without a subcommand the bridge runs. */
    @Override
    public Integer call() {
        return spec.subcommands().get("run").execute();
    }
}
