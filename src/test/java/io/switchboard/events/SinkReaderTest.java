package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.test.MovableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A sink's reader against a real (in-memory H2) store, on a clock the test moves: what it reads, rescans and lets
 * go, poll by poll (docs/events.md, "Order").
 */
class SinkReaderTest {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final Duration WINDOW = Duration.ofSeconds(1);
    static final Duration POLL = Duration.ofMillis(20);
    static final String SINK = "crm";

    final MovableClock clock = new MovableClock(T0);
    final OpenRecordings openRecordings = new OpenRecordings(clock);
    JdbcDataSource dataSource;
    Connection keepAlive;

    @BeforeEach
    void database() throws SQLException {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:sink-reader-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        dataSource.setUser("sa");
        keepAlive = dataSource.getConnection();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    @AfterEach
    void close() throws SQLException {
        keepAlive.close();
    }

    /**
     * A receive's transaction that commits long after a later one was read (3 s: far past any commit margin a clock
     * could allow) is found by the rescan and goes first, however many deliveries the reader already holds below it:
     * here more than a rescan reads at once, because every interaction waits for its window and the reader reads on
     * meanwhile. Its recording time stays open in {@link OpenRecordings} until it commits, as {@link EventRecorder}
     * keeps it, and holds the horizon back.
     */
    @Test
    void should_find_a_recording_that_committed_late_below_more_held_deliveries_than_one_rescan_reads() throws Exception {
        SinkReader reader = reader(10);
        int waiting = 1_200; // first events of their interactions: each waits for the window, so nothing is in flight
        try (Connection late = dataSource.getConnection()) {
            record(keepAlive, 0, waiting, clock.instant());
            clock.advance(Duration.ofMillis(15));
            late.setAutoCommit(false);
            Instant lateAt = openRecordings.begin();
            insert(late, "late", "x", 1, lateAt); // its pk is taken now, its commit comes later
            record(keepAlive, waiting, waiting + 50, lateAt);
            clock.advance(Duration.ofMillis(1));
            insert(keepAlive, "later", "x", 2, clock.instant()); // committed at once

            List<RecordedEvent> due = new ArrayList<>();
            while (clock.instant().isBefore(lateAt.plusSeconds(3))) { // the reader reads past the late one's pk
                clock.advance(POLL);
                due.addAll(pollAndDeliver(reader));
            }
            assertThat(due).as("delivered while the late one is open").noneMatch(e -> e.interactionId().equals("x"));
            late.commit();
            openRecordings.ended(lateAt);
            while (clock.instant().isBefore(lateAt.plusSeconds(6))) {
                clock.advance(POLL);
                due.addAll(pollAndDeliver(reader));
            }

            assertThat(due.stream().filter(e -> e.interactionId().equals("x")).map(RecordedEvent::eventId).toList())
                    .as("interaction x at the sink").containsExactly("late", "later");
        }
    }

    /**
     * Several SQS consumers record at once, so a recording's pk can commit a moment after a later pk was read. The
     * interaction's next event then goes at the next poll, not only at the next rescan (up to 100 ms later): the
     * forward read remembers the pk it skipped and looks for it at every poll.
     */
    @Test
    void should_send_a_direct_successor_that_committed_after_a_later_pk_at_the_next_poll() throws Exception {
        SinkReader reader = reader(100);
        insert(keepAlive, "x1", "x", 1, clock.instant());
        List<RecordedEvent> due = new ArrayList<>(pollAndDeliver(reader)); // rescans at T0, T0 + 100 ms, ...
        for (int poll = 0; poll < 60; poll++) { // x1 waits out its window (the first its reader sees of x)
            clock.advance(POLL);
            due.addAll(pollAndDeliver(reader));
        }
        assertThat(due).extracting(RecordedEvent::eventId).containsExactly("x1");
        Instant rescanned = clock.instant(); // 1,200 ms after T0: that poll rescanned; the next rescan is at +100 ms

        try (Connection slow = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            Instant x2At = openRecordings.begin();
            insert(slow, "x2", "x", 2, x2At); // x's next event: its pk is taken now, its commit comes later
            insert(keepAlive, "y1", "y", 1, x2At); // a later pk, committed at once
            clock.advance(POLL);
            assertThat(pollAndDeliver(reader)).as("while x2 is not committed").isEmpty(); // reads y1, skips x2
            slow.commit();
            openRecordings.ended(x2At);
        }
        clock.advance(POLL);
        assertThat(clock.instant()).isBefore(rescanned.plus(SinkReader.RESCAN));
        assertThat(pollAndDeliver(reader)).as("the poll after x2 committed, before the next rescan")
                .extracting(RecordedEvent::eventId).containsExactly("x2");
    }

    /**
     * A pk the forward read skipped whose transaction has ended without it (a duplicate's, a rollback's) is looked
     * for once more after the read time shows that end, and then no longer: not at every poll until GAP_WAIT.
     */
    @Test
    void should_stop_looking_for_a_skipped_pk_once_its_transaction_has_ended() throws Exception {
        SinkReader reader = reader(100);
        insert(keepAlive, "w1", "w", 1, clock.instant());
        pollAndDeliver(reader); // reads w1; rescans at T0: every recording stamped before T0 has ended
        try (Connection rolledBack = dataSource.getConnection()) {
            rolledBack.setAutoCommit(false);
            Instant at = openRecordings.begin();
            insert(rolledBack, "x1", "x", 1, at); // takes a pk ...
            insert(keepAlive, "y1", "y", 1, at); // ... below this one, committed at once
            clock.advance(POLL);
            pollAndDeliver(reader); // reads y1, skips x1's pk
            assertThat(reader.gapsFollowed()).isEqualTo(1);
            rolledBack.rollback(); // ... which never comes
            openRecordings.ended(at);
        }
        while (clock.instant().plus(POLL).isBefore(T0.plus(SinkReader.RESCAN))) { // no new read time until the rescan
            clock.advance(POLL);
            pollAndDeliver(reader);
            assertThat(reader.gapsFollowed()).as("followed until the read time shows its end").isEqualTo(1);
        }
        clock.advance(POLL); // the rescan's read time is past the skip: one more lookup, then no more
        pollAndDeliver(reader);
        assertThat(clock.instant()).isBefore(T0.plus(POLL).plus(SinkReader.GAP_WAIT));
        assertThat(reader.gapsFollowed()).isZero();
    }

    private List<RecordedEvent> pollAndDeliver(SinkReader reader) {
        List<RecordedEvent> sent = new ArrayList<>();
        for (Delivery delivery : reader.poll()) {
            Delivery next = new Delivery(delivery.sink(), delivery.event());
            while (next != null) { // the sink takes it at once; the interaction's successor follows if it may
                sent.add(next.event());
                next = reader.delivered(next.event());
            }
        }
        return sent;
    }

    private SinkReader reader(int readAhead) {
        EventsProperties properties = new EventsProperties("events", 1, 1, 30, WINDOW, 1000, readAhead, POLL, 5,
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofHours(1), "test",
                Map.of(SINK, "log:crm"));
        DeliveryStore store = new DeliveryStore(JdbcClient.create(dataSource),
                new DataSourceTransactionManager(dataSource), clock, dataSource);
        return new SinkReader(SINK, store, clock, openRecordings, properties);
    }

    /** Events {@code from} (inclusive) to {@code to}: the first of interactions of their own, committed. */
    private static void record(Connection db, int from, int to, Instant at) throws SQLException {
        for (int i = from; i < to; i++) {
            insert(db, "e" + i, "i" + i, 1, at);
        }
    }

    private static void insert(Connection db, String eventId, String interaction, long orderKey, Instant at)
            throws SQLException {
        Timestamp time = Timestamp.from(at);
        long pk;
        try (PreparedStatement event = db.prepareStatement("""
                INSERT INTO events (event_id, interaction_id, source, detail_type, order_key, event_time, node,
                                    envelope, received_at) VALUES (?, ?, 'test', 'test', ?, ?, 'test', '{}', ?)""",
                new String[] {"pk"})) {
            event.setString(1, eventId);
            event.setString(2, interaction);
            event.setLong(3, orderKey);
            event.setObject(4, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            event.setObject(5, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            event.executeUpdate();
            try (var keys = event.getGeneratedKeys()) {
                keys.next();
                pk = keys.getLong(1);
            }
        }
        try (PreparedStatement delivery = db.prepareStatement("""
                INSERT INTO event_deliveries (sink, event_pk, state, attempts, updated_at)
                VALUES (?, ?, 'pending', 0, ?)""")) {
            delivery.setString(1, SINK);
            delivery.setLong(2, pk);
            delivery.setTimestamp(3, time);
            delivery.executeUpdate();
        }
    }
}
