package dev.ecubridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.Fault;
import dev.ecubridge.simulator.MeterFault;
import dev.ecubridge.simulator.SiteSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {

    @Test
    void helpDocumentsEveryOptionAndFault() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EcuBridgeCli());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("simulate", "--help")).isZero();
        String help = out.toString();
        for (String option : new String[] {"--port", "--bind", "--ecus", "--ecu-model", "--ecu-id", "--firmware", "--zone",
                "--latitude", "--longitude", "--inverters", "--lifetime-kwh", "--seed", "--speed", "--start", "--fault", "--replay",
                "--meter", "--meter-fault"}) {
            assertThat(help).contains(option);
        }
        for (Fault f : Fault.values()) {
            assertThat(help.replaceAll("\\s+", " ")).contains(f.cliName());
        }
        for (MeterFault f : MeterFault.values()) {
            assertThat(help.replaceAll("\\s+", " ")).contains(f.cliName());
        }
    }

    @Test
    void defaultsAreAMixedEightInverterEcuR() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs();
        SiteSpec site = command.site();
        assertThat(site.ecu()).isEqualTo(EcuKind.ECU_R);
        assertThat(site.ecuId()).isEqualTo("216000123456");
        assertThat(site.inverters().stream().mapToInt(SiteSpec.Group::count).sum()).isEqualTo(8);
        assertThat(command.port).isEqualTo(8899);
        assertThat(command.bind).isEqualTo("127.0.0.1");
    }
}
