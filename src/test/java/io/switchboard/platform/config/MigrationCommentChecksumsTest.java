package io.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database that applied V30 and V40 with their released comments still starts after the rewording, and a
 * migration changed in any other way is still refused (docs/decisions/0055).
 */
class MigrationCommentChecksumsTest {

    private String url;

    @BeforeEach
    void databaseAsReleased() throws SQLException {
        url = "jdbc:h2:mem:migrations-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        flyway(false).migrate();
        // what a database migrated before the rewording holds: the released texts' checksums
        for (Map.Entry<String, int[]> migration : MigrationCommentChecksums.REWORDED.entrySet()) {
            sql("UPDATE flyway_schema_history SET checksum = " + migration.getValue()[0]
                    + " WHERE version = '" + migration.getKey() + "'");
        }
    }

    @Test
    void should_refuse_the_released_checksums_without_the_callback() {
        ValidateResult result = flyway(false).validateWithResult();

        assertThat(result.validationSuccessful).isFalse();
        assertThat(result.invalidMigrations).extracting(m -> m.version).containsExactlyInAnyOrder("30", "40");
    }

    @Test
    void should_start_on_a_database_that_applied_the_released_comments() throws SQLException {
        Flyway flyway = flyway(true);

        flyway.migrate();

        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(checksum("30")).isEqualTo(MigrationCommentChecksums.REWORDED.get("30")[1]);
        assertThat(checksum("40")).isEqualTo(MigrationCommentChecksums.REWORDED.get("40")[1]);
    }

    @Test
    void should_still_refuse_a_migration_changed_otherwise() throws SQLException {
        sql("UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '30'");

        ValidateResult result = flyway(true).validateWithResult();

        assertThat(result.validationSuccessful).isFalse();
        assertThat(result.invalidMigrations).extracting(m -> m.version).containsExactly("30");
    }

    private Flyway flyway(boolean withCallback) {
        var configuration = Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration");
        if (withCallback) {
            configuration.callbacks(new MigrationCommentChecksums());
        }
        return configuration.load();
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement update = connection.createStatement()) {
            update.executeUpdate(statement);
        }
    }

    private int checksum(String version) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             var query = connection.createStatement().executeQuery(
                     "SELECT checksum FROM flyway_schema_history WHERE version = '" + version + "'")) {
            query.next();
            return query.getInt(1);
        }
    }
}
