package dev.ecubridge.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ECU list of {@code ecubridge.ecus-file}: one ECU a line, {@code name host port [zone]}, separated by spaces or
 * commas; {@code #} starts a comment. A bad line is reported with its number and left out; the others are kept.
 */
public record EcusFile(List<Settings.Ecu> ecus, List<String> problems) {

    public static EcusFile read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllLines(file));
    }

    static EcusFile parse(String source, List<String> lines) {
        List<Settings.Ecu> ecus = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            String problem = add(content.split("[\\s,]+"), ecus, names, addresses);
            if (problem != null) {
                problems.add(source + ":" + (i + 1) + ": '" + content + "': " + problem + "; line skipped");
            }
        }
        return new EcusFile(List.copyOf(ecus), List.copyOf(problems));
    }

    private static String add(String[] fields, List<Settings.Ecu> ecus, Set<String> names, Set<String> addresses) {
        if (fields.length < 3 || fields.length > 4) {
            return "expected name, host, port and an optional zone";
        }
        int port;
        try {
            port = Integer.parseInt(fields[2]);
        } catch (NumberFormatException e) {
            return "port '" + fields[2] + "' is not a number";
        }
        ZoneId zone = null;
        if (fields.length == 4) {
            try {
                zone = ZoneId.of(fields[3]);
            } catch (DateTimeException e) {
                return "'" + fields[3] + "' is not a time zone (e.g. Europe/Amsterdam)";
            }
        }
        Settings.Ecu ecu = new Settings.Ecu(fields[0], fields[1], port, zone);
        String conflict = ecu.addTo(names, addresses);
        if (conflict == null) {
            ecus.add(ecu);
        }
        return conflict;
    }
}
