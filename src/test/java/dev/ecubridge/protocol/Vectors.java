package dev.ecubridge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The captured frames and their expected decodes: the copy in the repository, plus any vector the shared protocol
 * folder beside the checkout has that the copy lacks (so a newly published capture is tested at once).
 */
public final class Vectors {

    private static final Path REPO_COPY = Path.of("src/test/resources/protocol");
    private static final Path SHARED = Path.of("../shared/protocol");

    /** One captured frame; {@code expected} is null for frames that must be rejected (truncated). */
    public record Vector(String name, byte[] frame, JsonNode expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Vectors() {
    }

    public static List<Vector> all() {
        Map<String, Path> byName = new TreeMap<>();
        for (Path root : List.of(SHARED, REPO_COPY)) {
            for (Path hex : list(root.resolve("vectors"))) {
                byName.put(hex.getFileName().toString(), hex);
            }
        }
        List<Vector> vectors = new ArrayList<>();
        for (Path hex : byName.values()) {
            String name = hex.getFileName().toString().replaceFirst("\\.hex$", "");
            Path expected = hex.getParent().resolveSibling("expected").resolve(name + ".json");
            try {
                vectors.add(new Vector(name, FrameFiles.read(hex),
                        Files.exists(expected) ? new ObjectMapper().readTree(expected.toFile()) : null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vectors;
    }

    public static List<Vector> valid() {
        return all().stream().filter(v -> v.expected() != null).toList();
    }

    public static Vector named(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".hex")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
