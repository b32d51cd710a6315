package io.switchboard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several Switchboard instances starting at once all run Flyway against the same PostgreSQL schema. Flyway
 * serialises them with a PostgreSQL advisory lock taken around the migration: the first applies every
 * migration, the others wait, then find nothing left to do. Runs when {@code -Dswitchboard.test.postgres-url}
 * names a database; otherwise skipped, saying so.
 */
class ConcurrentMigrationTest {

    static final String URL = System.getProperty("switchboard.test.postgres-url", "");
    static final String USER = System.getProperty("switchboard.test.postgres-user", "postgres");
    static final String PASSWORD = System.getProperty("switchboard.test.postgres-password", "");
    static final int INSTANCES = 4;

    final String schema = "switchboard_flyway_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeEach
    void requirePostgres() {
        Assumptions.assumeFalse(URL.isBlank(),
                "PostgreSQL not configured: set -Dswitchboard.test.postgres-url=jdbc:postgresql://host:5432/db to run this test");
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (URL.isBlank()) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void should_apply_each_migration_once_when_several_instances_migrate_the_same_fresh_schema_at_once() throws Exception {
        ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MigrateResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < INSTANCES; i++) {
                results.add(instances.submit(() -> {
                    Flyway flyway = Flyway.configure()
                            .dataSource(URL, USER, PASSWORD)
                            .schemas(schema)
                            .createSchemas(true)
                            .locations("classpath:db/migration")
                            .load();
                    start.await();
                    return flyway.migrate();
                }));
            }
            start.countDown();
            int applied = 0;
            for (Future<MigrateResult> result : results) {
                MigrateResult migration = result.get();
                assertThat(migration.success).isTrue();
                applied += migration.migrationsExecuted;
            }

            long available = java.util.Arrays.stream(Flyway.configure().dataSource(URL, USER, PASSWORD).schemas(schema)
                    .locations("classpath:db/migration").load().info().all())
                    .filter(migration -> migration.getScript() != null && migration.getScript().endsWith(".sql"))
                    .count();
            assertThat(applied).as("migrations executed across all instances").isEqualTo(available);
            try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                    ResultSet rows = connection.createStatement().executeQuery(
                            "SELECT version, count(*) FROM " + schema + ".flyway_schema_history"
                                    + " WHERE success GROUP BY version HAVING count(*) > 1")) {
                assertThat(rows.next()).as("a migration recorded twice").isFalse();
            }
            try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                    ResultSet rows = connection.createStatement().executeQuery(
                            "SELECT count(*) FROM " + schema + ".routing_rule_counters")) {
                rows.next();
                assertThat(rows.getInt(1)).as("seed rows inserted once").isEqualTo(1);
            }
        } finally {
            instances.shutdownNow();
        }
    }
}
