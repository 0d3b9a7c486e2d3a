package dev.ecubridge.userroutes;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's own routes: every {@code *.yaml} file of a folder (by default {@code routes.d} beside the settings file),
 * loaded at start beside the bridge's routes, in name order. A file Camel cannot load, or whose route it cannot
 * create, stops the start with one line naming the file ({@link #problem}). Binds {@code userExtension}, the extension points those routes read.
 */
public final class UserRoutes implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(UserRoutes.class);

    private final Path directory;
    private final MeterRegistry meters;
    private final Map<String, Path> routeFiles = new ConcurrentHashMap<>();

    public UserRoutes(Path directory, MeterRegistry meters) {
        this.directory = directory;
        this.meters = meters;
    }

    @Override
    public void configure(CamelContext context) {
        context.getRegistry().bind("userExtension", new UserExtension(meters));
        List<Path> files = files(directory);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (Path file : files) {
            Set<String> before = routeIds(model);
            try {
                PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath()));
            } catch (Exception | LinkageError e) {
                throw new UserRouteException(file, e);
            }
            routeIds(model).stream().filter(id -> !before.contains(id)).forEach(id -> routeFiles.put(id, file));
        }
        if (!files.isEmpty()) {
            LOG.info("User routes from {}: {}", directory.toAbsolutePath(), files.stream().map(f -> f.getFileName().toString()).toList());
        }
    }

    /**
     * The user route file behind a failed start, as one line: a file Camel could not load, or one whose route Camel
     * could not create (a component the jar does not have, a bean that is not there).
     */
    public Optional<String> problem(Throwable e) {
        Optional<UserRouteException> file = UserRouteException.in(e);
        if (file.isPresent()) {
            return Optional.of(file.get().getMessage());
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedToCreateRouteException f && routeFiles.containsKey(f.getRouteId())) {
                return Optional.of(routeFiles.get(f.getRouteId()) + ": route " + f.getRouteId() + ": " + UserRouteException.reason(f));
            }
        }
        return Optional.empty();
    }

    private static Set<String> routeIds(Model model) {
        return model.getRouteDefinitions().stream().map(RouteDefinition::getRouteId).collect(Collectors.toSet());
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
