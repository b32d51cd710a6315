package io.switchboard.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database for each engine that records events (Switchboard, B4, N1): an H2 file under the work
 * directory, or a fresh schema of the PostgreSQL database {@code bench.postgres-url}, dropped when the run ends.
 */
final class BenchDatabase implements AutoCloseable {

    enum Kind {
        H2("H2"), POSTGRES("PostgreSQL");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** Where one engine records. {@code schema} is null on H2. */
    record Target(Kind kind, String url, String user, String password, String schema) {

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        /** {@code key=value} settings for a child JVM (see {@link #fromSettings}). */
        Map<String, String> toSettings() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("db.kind", kind.name());
            map.put("db.url", url);
            map.put("db.user", user);
            map.put("db.password", password);
            map.put("db.schema", schema == null ? "" : schema);
            return map;
        }

        static Target fromSettings(Map<String, String> settings) {
            String schema = settings.getOrDefault("db.schema", "");
            return new Target(Kind.valueOf(settings.get("db.kind")), settings.get("db.url"), settings.get("db.user"),
                    settings.getOrDefault("db.password", ""), schema.isBlank() ? null : schema);
        }
    }

    private final BenchSettings settings;
    private final List<String> schemas = new ArrayList<>();

    BenchDatabase(BenchSettings settings) {
        this.settings = settings;
    }

    /** A new, empty database for {@code engine}. */
    Target create(Kind kind, String engine) throws SQLException {
        String tag = engine.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + UUID.randomUUID().toString()
                .replace("-", "").substring(0, 8);
        if (kind == Kind.H2) {
            Path file = settings.workDir().toAbsolutePath().resolve("db-" + tag).resolve("bench");
            return new Target(kind, "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH", "sa", "", null);
        }
        String schema = "bench_" + tag;
        try (Connection db = DriverManager.getConnection(settings.postgresUrl(), settings.postgresUser(),
                settings.postgresPassword())) {
            db.createStatement().execute("CREATE SCHEMA " + schema);
        }
        schemas.add(schema);
        String url = settings.postgresUrl();
        return new Target(kind, url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                settings.postgresUser(), settings.postgresPassword(), schema);
    }

    @Override
    public void close() {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection db = DriverManager.getConnection(settings.postgresUrl(), settings.postgresUser(),
                settings.postgresPassword())) {
            for (String schema : schemas) {
                db.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (SQLException e) {
            System.err.println("Could not drop benchmark schemas " + schemas + ": " + e);
        }
    }
}
