package io.switchboard.platform.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.springframework.stereotype.Component;

/**
 * Migrations whose comments were reworded after release: a database that applied the old text keeps working.
 * Flyway checksums every line of a migration, comments included, and refuses to start on a mismatch. Before it
 * validates, this moves each listed migration's recorded checksum from the released text's to the current text's,
 * and touches nothing else: a migration changed in any other way is still refused (docs/decisions/0055).
 */
@Component
public class MigrationCommentChecksums implements Callback {

    /** Version → {checksum of the released text, checksum of the current text}. SQL unchanged in both. */
    static final Map<String, int[]> REWORDED = Map.of(
            "30", new int[] {-271253326, 1210201574},   // V30__events.sql: its first line pointed outside the repository
            "40", new int[] {-854569030, -327634008});  // V40__routing_rule_counters.sql: the same, two lines

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        String table = context.getConfiguration().getTable();
        Connection connection = context.getConnection();
        try {
            if (!exists(connection, table)) {
                return; // a new database: nothing recorded yet
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + table + " SET checksum = ? WHERE version = ? AND checksum = ?")) {
                for (Map.Entry<String, int[]> migration : REWORDED.entrySet()) {
                    update.setInt(1, migration.getValue()[1]);
                    update.setString(2, migration.getKey());
                    update.setInt(3, migration.getValue()[0]);
                    update.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("Could not update the checksums of reworded migrations in " + table, e);
        }
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), table, null)) {
            return tables.next();
        }
    }

    @Override
    public String getCallbackName() {
        return "switchboard-reworded-migrations";
    }
}
