package io.switchboard.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What Switchboard's event store says was delivered, read from its database right after a kill (before the
 * restart): for each sink and event of a feed, whether the delivery was acknowledged or still owed. The store keeps
 * a row in {@code event_deliveries} only for a delivery not done ({@code pending} or {@code dead}, docs/events.md):
 * a recorded event without a row for a sink was acknowledged by it; a row, or an event not recorded yet, is owed.
 * A repeat after the restart is legitimate exactly for the deliveries still owed: those were in flight when the
 * process died. Reads the events workflow's tables ({@code events}, {@code event_deliveries}); null if they are
 * not there.
 */
final class StoreAcknowledgements {

    private final boolean[][] acknowledged;
    private final int pending;

    private StoreAcknowledgements(boolean[][] acknowledged, int pending) {
        this.acknowledged = acknowledged;
        this.pending = pending;
    }

    static StoreAcknowledgements read(String jdbcUrl, EventFeed feed) {
        boolean[][] acknowledged = new boolean[SinkServers.NAMES.size()][feed.unique()];
        int pending = 0;
        String recorded = "SELECT e.event_id FROM events e WHERE e.interaction_id LIKE ?";
        String owed = "SELECT e.event_id, d.sink FROM event_deliveries d JOIN events e ON e.pk = d.event_pk"
                + " WHERE e.interaction_id LIKE ?";
        try (Connection db = DriverManager.getConnection(jdbcUrl, "sa", "");
             PreparedStatement events = db.prepareStatement(recorded);
             PreparedStatement deliveries = db.prepareStatement(owed)) {
            events.setString(1, "bench-" + feed.run() + "-%");
            try (ResultSet rows = events.executeQuery()) {
                while (rows.next()) {
                    if (EventFeed.runOf(rows.getString(1)) == feed.run()) {
                        for (boolean[] sink : acknowledged) {
                            sink[EventFeed.indexOf(rows.getString(1))] = true;
                        }
                    }
                }
            }
            deliveries.setString(1, "bench-" + feed.run() + "-%");
            try (ResultSet rows = deliveries.executeQuery()) {
                while (rows.next()) {
                    int sink = SinkServers.NAMES.indexOf(rows.getString(2));
                    if (sink < 0 || EventFeed.runOf(rows.getString(1)) != feed.run()) {
                        continue;
                    }
                    acknowledged[sink][EventFeed.indexOf(rows.getString(1))] = false;
                    pending++;
                }
            }
            return new StoreAcknowledgements(acknowledged, pending);
        } catch (SQLException e) {
            System.err.println("Could not read the event store (" + e.getMessage() + "); repeats are judged by what the"
                    + " sinks had received at the kill instead");
            return null;
        }
    }

    boolean acknowledged(int sink, int event) {
        return acknowledged[sink][event];
    }

    /** Deliveries recorded as still owed. */
    int pending() {
        return pending;
    }
}
