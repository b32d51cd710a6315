package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts Switchboard for a benchmark: the settings every benchmark shares (no embedded servers of its own, the
 * harness's SQS server, a fresh database, quiet logs), the benchmark's own settings, and where it runs (its own
 * JVM with the prescribed heap, or this JVM for the smoke run). A fresh H2 file database per start, or, when
 * {@code bench.postgres-url} is set, a fresh PostgreSQL schema, dropped at the end.
 */
final class SwitchboardLauncher implements AutoCloseable {

    private final BenchSettings settings;
    private final SqsServer sqs;
    private final List<String> schemas = new ArrayList<>();

    SwitchboardLauncher(BenchSettings settings, SqsServer sqs) {
        this.settings = settings;
        this.sqs = sqs;
    }

    /**
     * Starts one Switchboard. {@code own} are its benchmark's {@code key=value} settings (without "--"),
     * {@code heap} its -Xmx when forked.
     */
    SwitchboardControl start(String name, String heap, Map<String, String> own) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        add(args, "server.port", "0");
        add(args, "switchboard.sandbox.embedded-sqs", "false");
        add(args, "switchboard.sandbox.simulate-upstreams", "false");
        add(args, "switchboard.api-keys", "bench:bench-key:admin");
        add(args, "aws.endpoint", sqs.endpoint());
        add(args, "aws.access-key-id", SqsServer.ACCESS_KEY);
        add(args, "aws.secret-access-key", SqsServer.ACCESS_KEY);
        // nothing calls CXone or Genesys unless a benchmark points them at its own stand-in
        add(args, "cxone.base-url", "http://127.0.0.1:9/cxone");
        add(args, "cxone.token-url", "http://127.0.0.1:9/cxone/oauth/token");
        add(args, "genesys.base-url", "http://127.0.0.1:9/genesys");
        add(args, "genesys.token-url", "http://127.0.0.1:9/genesys/oauth/token");
        add(args, "email.reports.initial-delay", "PT1000H");
        add(args, "email.reports.poll-period", "PT1000H");
        add(args, "email.retry-queue", Queues.EMAIL_RETRY);
        add(args, "events.queue", Queues.EVENTS);
        add(args, "events.node-id", "bench-" + name);
        add(args, "logging.level.root", "WARN");
        database(name).forEach((key, value) -> add(args, key, value));
        if (settings.inProcess()) {
            // the smoke run stops it in the harness JVM: stopping waits for the retry queue's receive in progress
            add(args, "email.retry.wait-time-seconds", "1");
        }
        own.forEach((key, value) -> add(args, key, value));
        if (settings.inProcess()) {
            return ControlActions.start(args);
        }
        return ForkedSwitchboard.start("switchboard-" + name, heap, args, settings.workDir(), settings.flightRecording());
    }

    private Map<String, String> database(String name) {
        if (!settings.usesPostgres()) {
            Path file = settings.workDir().toAbsolutePath().resolve("db-" + name + "-" + UUID.randomUUID().toString()
                    .substring(0, 8)).resolve("switchboard");
            return Map.of("spring.datasource.url", "jdbc:h2:file:" + file
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        }
        String schema = "bench_" + name.replaceAll("[^a-z0-9]", "_") + "_" + UUID.randomUUID().toString()
                .replace("-", "").substring(0, 8);
        schemas.add(schema);
        String url = settings.postgresUrl();
        return Map.of(
                "spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "spring.datasource.username", settings.postgresUser(),
                "spring.datasource.password", settings.postgresPassword(),
                "spring.flyway.schemas", schema,
                "spring.flyway.create-schemas", "true");
    }

    private static void add(List<String> args, String key, String value) {
        args.removeIf(arg -> arg.startsWith("--" + key + "="));
        args.add("--" + key + "=" + value);
    }

    /** The settings that send events to the three sinks (timeouts: Switchboard's own, upstream.*-timeout). */
    static Map<String, String> sinks(SinkServers sinks) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int s = 0; s < SinkServers.NAMES.size(); s++) {
            map.put("events.sinks." + SinkServers.NAMES.get(s), sinks.url(s));
        }
        return map;
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

    /** Queue names the benchmarks use on the harness's SQS server. */
    static final class Queues {
        static final String EVENTS = "bench-events";
        static final String EMAIL_RETRY = "bench-email-retry";

        private Queues() {
        }
    }
}
