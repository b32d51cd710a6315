package io.switchboard.dataactions;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * An H2 trigger that refuses every row written to the table it is created on, the way a database that is read-only,
 * full, or has revoked Switchboard's INSERT refuses it: the statement fails with SQLSTATE 42501.
 * {@code CREATE TRIGGER t BEFORE INSERT ON some_table FOR EACH ROW CALL 'io.switchboard.dataactions.RefuseWrites'}.
 */
public class RefuseWrites implements Trigger {

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("permission denied: the table refuses writes", "42501");
    }
}
