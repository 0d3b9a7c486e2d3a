package dev.ecubridge.userroutes;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's own routes: every {@code *.yaml} file of a folder (by default {@code routes.d} beside the settings file),
 * loaded at start beside the bridge's routes, in name order. A file Camel cannot load stops the start with a
 * {@link UserRouteException} naming it. Binds {@code userExtension}, the extension points those routes read.
 */
public final class UserRoutes implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(UserRoutes.class);

    private final Path directory;
    private final MeterRegistry meters;

    public UserRoutes(Path directory, MeterRegistry meters) {
        this.directory = directory;
        this.meters = meters;
    }

    @Override
    public void configure(CamelContext context) {
        context.getRegistry().bind("userExtension", new UserExtension(meters));
        List<Path> files = files(directory);
        for (Path file : files) {
            try {
                PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath()));
            } catch (Exception | LinkageError e) {
                throw new UserRouteException(file, e);
            }
        }
        if (!files.isEmpty()) {
            LOG.info("User routes from {}: {}", directory.toAbsolutePath(), files.stream().map(f -> f.getFileName().toString()).toList());
        }
    }

    /** The folder's route files in name order; none when there is no such folder. */
    public static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(f -> f.getFileName().toString().matches("[^.].*\\.ya?ml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
