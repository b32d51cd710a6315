package io.switchboard.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Where the files users may edit come from, so that the jar runs from any directory (README "Deploy",
 * docs/decisions/0040-the-jar-runs-from-any-directory.md):
 * <ul>
 *   <li>{@code switchboard.schemas-location}: the JSON Schemas. The folder {@code switchboard.schemas-dir}
 *       (default {@code config/schemas}, relative to the working directory) when it holds {@code *.json} files,
 *       otherwise the schemas built into the jar ({@code classpath:config/schemas}).</li>
 *   <li>{@code switchboard.routes-location}: the sink routes Camel loads
 *       ({@code camel.main.routes-include-pattern}). The {@code *.yaml} files of {@code switchboard.routes-dir}
 *       (default {@code routes}) when there are any, otherwise the routes built into the jar
 *       ({@code classpath:routes/*.yaml}).</li>
 * </ul>
 * A folder replaces the built-in set as a whole. Both keys can also be set outright (any Camel resource URI).
 * The default configuration needs nothing here: Spring Boot reads {@code classpath:/config/application*.yaml}
 * from the jar and a {@code ./config/} folder, when there is one, on top of it.
 */
public class DeploymentLayout implements EnvironmentPostProcessor, Ordered {

    static final String SCHEMAS_LOCATION = "switchboard.schemas-location";
    static final String ROUTES_LOCATION = "switchboard.routes-location";
    public static final String BUILT_IN_SCHEMAS = "classpath:config/schemas";
    static final String BUILT_IN_ROUTES = "classpath:routes/*.yaml";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10; // after the configuration files are read
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Path workingDirectory = Path.of(env.getProperty("user.dir", "."));
        Map<String, Object> locations = new LinkedHashMap<>();
        Path schemas = workingDirectory.resolve(env.getProperty("switchboard.schemas-dir", "config/schemas"));
        locations.put(SCHEMAS_LOCATION, holds(schemas, ".json") ? "file:" + schemas.toAbsolutePath().normalize()
                : BUILT_IN_SCHEMAS);
        Path routes = workingDirectory.resolve(env.getProperty("switchboard.routes-dir", "routes"));
        locations.put(ROUTES_LOCATION, holds(routes, ".yaml") ? "file:" + routes.toAbsolutePath().normalize() + "/*.yaml"
                : BUILT_IN_ROUTES);
        // last: a location set outright (argument, environment, configuration file) wins
        env.getPropertySources().addLast(new MapPropertySource("switchboard-deployment-layout", locations));
    }

    /** True when the folder exists and holds at least one regular file ending in the suffix. */
    static boolean holds(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(file -> Files.isRegularFile(file) && file.getFileName().toString().endsWith(suffix));
        } catch (IOException e) {
            return false;
        }
    }
}
