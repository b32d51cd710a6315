package io.switchboard.platform.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code spring.datasource.url} names a database Switchboard works with, or Switchboard does not start.
 * <ul>
 *   <li>PostgreSQL ({@code jdbc:postgresql:}) is used as it is;</li>
 *   <li>any H2 URL ({@code jdbc:h2:}) gets the settings Switchboard's SQL needs, added when absent:
 *       {@code MODE=PostgreSQL} (for {@code ON CONFLICT}), {@code DATABASE_TO_LOWER=TRUE},
 *       {@code DEFAULT_NULL_ORDERING=HIGH}, {@code DB_CLOSE_ON_EXIT=FALSE}; an H2 URL that sets one of them
 *       otherwise is refused;</li>
 *   <li>any other engine is refused.</li>
 * </ul>
 * A refusal is one line naming {@code spring.datasource.url} and what is required
 * ({@link DatabaseSettingsFailureAnalyzer}). See docs/decisions/0052-database-works-or-is-refused.md.
 */
public class DatabaseSettings implements EnvironmentPostProcessor, Ordered {

    static final String KEY = "spring.datasource.url";
    static final Map<String, String> H2_SETTINGS = new LinkedHashMap<>();

    static {
        H2_SETTINGS.put("MODE", "PostgreSQL");
        H2_SETTINGS.put("DATABASE_TO_LOWER", "TRUE");
        H2_SETTINGS.put("DEFAULT_NULL_ORDERING", "HIGH");
        // Spring closes the database when the application has stopped; H2's own JVM shutdown hook would close it
        // first, while Camel still stops (and records what the sinks took)
        H2_SETTINGS.put("DB_CLOSE_ON_EXIT", "FALSE");
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10; // after the configuration files and the sandbox, before the live check
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String url = env.getProperty(KEY);
        if (url == null || url.isBlank()) {
            return; // the live check names a missing URL; without one Spring Boot picks an embedded database
        }
        String effective = effectiveUrl(url.trim());
        if (!effective.equals(url)) {
            env.getPropertySources().addFirst(new MapPropertySource("switchboard-database-settings", Map.of(KEY, effective)));
        }
    }

    /** The URL Switchboard uses for the configured one, or a {@link UnsupportedDatabaseException}. */
    static String effectiveUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (!lower.startsWith("jdbc:h2:")) {
            String engine = lower.startsWith("jdbc:") ? lower.substring(5, Math.max(5, lower.indexOf(':', 5))) : lower;
            throw new UnsupportedDatabaseException(engine.isBlank() ? url : engine, "Switchboard supports PostgreSQL "
                    + "(jdbc:postgresql://host:5432/db) and H2 (jdbc:h2:...)");
        }
        String[] parts = url.split(";");
        StringBuilder result = new StringBuilder(parts[0]);
        Map<String, String> present = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                continue;
            }
            int eq = parts[i].indexOf('=');
            String name = (eq < 0 ? parts[i] : parts[i].substring(0, eq)).trim().toUpperCase(Locale.ROOT);
            present.put(name, eq < 0 ? "" : parts[i].substring(eq + 1).trim());
            result.append(';').append(parts[i]);
        }
        List<String> conflicts = new ArrayList<>();
        H2_SETTINGS.forEach((name, value) -> {
            String given = present.get(name);
            if (given == null) {
                result.append(';').append(name).append('=').append(value);
            } else if (!given.equalsIgnoreCase(value)) {
                conflicts.add(name + "=" + given);
            }
        });
        if (!conflicts.isEmpty()) {
            throw new UnsupportedDatabaseException("H2 with " + String.join(", ", conflicts),
                    "an H2 URL must leave out, or set, " + String.join(";", H2_SETTINGS.entrySet().stream()
                            .map(setting -> setting.getKey() + "=" + setting.getValue()).toList()));
        }
        return result.toString();
    }

    /** Raised at start-up; {@link DatabaseSettingsFailureAnalyzer} prints it as one line. */
    public static class UnsupportedDatabaseException extends RuntimeException {
        private final String required;

        UnsupportedDatabaseException(String found, String required) {
            super(KEY + " names an unsupported database (" + found + "): " + required);
            this.required = required;
        }

        public String required() {
            return required;
        }
    }
}
