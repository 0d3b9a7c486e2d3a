package dev.ecubridge.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What valid settings can still not do on this machine, checked before Camel starts so that each is one line and
 * exit code 2 instead of a stack trace: a port that is taken, a directory that cannot be written.
 */
final class StartupChecks {

    private StartupChecks() {
    }

    static List<String> check(Settings s) {
        List<String> problems = new ArrayList<>();
        if (s.managementEnabled() && !canListen(s.managementHost(), s.managementPort())) {
            problems.add("camel.management.port=" + s.managementPort() + ": " + s.managementHost() + ":" + s.managementPort()
                    + " is in use (another ecu-bridge?) or not an address of this machine");
        }
        // the state is kept under the files directory even when the file sink is off; the outbox has one folder per sink
        Optional<String> files = firstUnwritable("ecubridge.files.directory", s.filesDirectory(), s.filesDirectory(),
                s.filesDirectory().resolve("state"));
        files.ifPresent(problems::add);
        if (files.isEmpty() || !s.outboxDirectory().startsWith(s.filesDirectory())) {
            List<Path> dirs = new ArrayList<>(List.of(s.outboxDirectory()));
            s.enabledSinks().forEach(sink -> dirs.add(s.outboxDirectory().resolve(sink.name())));
            firstUnwritable("ecubridge.outbox.directory", s.outboxDirectory(), dirs.toArray(Path[]::new)).ifPresent(problems::add);
        }
        return problems;
    }

    /** True if a server socket can be bound there now. */
    static boolean canListen(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // like Vert.x and Netty: a port in TIME_WAIT is free
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    /** A port on 127.0.0.1 that nothing listens on. */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates each directory if needed and writes a file in it; the first that fails is the problem, with the key and why. */
    private static Optional<String> firstUnwritable(String key, Path configured, Path... dirs) {
        for (Path dir : dirs) {
            try {
                Files.createDirectories(dir);
                Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
            } catch (IOException e) {
                return Optional.of(key + "=" + configured + ": cannot write " + dir.toAbsolutePath() + " (" + why(dir, e) + ")");
            }
        }
        return Optional.empty();
    }

    private static String why(Path dir, IOException e) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            return existing + " is a file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getMessage();
    }
}
