package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.test.Api;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event store on PostgreSQL, as in production: the recovery and retention tests of {@link EventRecoveryTest},
 * and the pipeline end to end with a duplicate (ON CONFLICT on the events' unique key, the readers' queries). Runs when {@code -Dswitchboard.test.postgres-url} names a database (CI sets it); each run
 * migrates its own schema and drops it afterwards, once its Camel routes are stopped, so that nothing polls the
 * dropped tables; the context is closed right after the class, not cached until the JVM exits.
 */
@DirtiesContext
class PostgresEventsTest extends EventRecoveryTest {

    static final String URL = System.getProperty("switchboard.test.postgres-url", "");
    static final String SCHEMA = "switchboard_events_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeAll
    static void requirePostgres() {
        Assumptions.assumeFalse(URL.isBlank(), "PostgreSQL not configured: set -Dswitchboard.test.postgres-url="
                + "jdbc:postgresql://host:5432/db to run these tests");
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> System.getProperty("switchboard.test.postgres-user", "postgres"));
        registry.add("spring.datasource.password", () -> System.getProperty("switchboard.test.postgres-password", ""));
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.flyway.create-schemas", () -> "true");
    }

    static CamelContext routes;

    @Autowired
    void routes(CamelContext context) {
        routes = context;
    }

    /** Once Camel is stopped: the schema goes. */
    @AfterAll
    static void dropSchema() throws Exception {
        if (URL.isBlank()) {
            return;
        }
        if (routes != null) {
            routes.stop(); // the readers poll the tables until Camel stops; the context closes after this method
        }
        try (Connection connection = DriverManager.getConnection(URL,
                System.getProperty("switchboard.test.postgres-user", "postgres"),
                System.getProperty("switchboard.test.postgres-password", ""))) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    void should_record_deduplicate_and_deliver_events_on_postgresql() {
        String interaction = UUID.randomUUID().toString();
        List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        String second = json(cxoneEvent(ids.get(1), interaction, "Offered", 2));

        publish(json(cxoneEvent(ids.get(2), interaction, "Connected", 3)), second,
                json(cxoneEvent(ids.get(0), interaction, "Queued", 1)), second);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).filteredOn(r -> interaction.equals(r.interactionId()))
                        .extracting(RecordingSinks.Request::eventId).containsExactlyElementsOf(ids);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesInQueue() == 0);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM events WHERE interaction_id = :i")
                .param("i", interaction).query(Long.class).single()).as("the duplicate recorded once").isEqualTo(3);
        Api.Response replay = api.get("/api/events/replay?interactionId=" + interaction);
        assertThat(replay.json().path("total").asLong()).isEqualTo(3);
        assertThat(api.post("/api/events", second).json().path("status").asText()).isEqualTo("duplicate");
    }

    @Autowired
    EventRecorder recorder;

    @Autowired
    DeliveryStore store;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    CamelContext camel;

    /**
     * A recording whose transaction commits late (here held open over a second) holds the readers' horizon back
     * before its recording time, however late it commits; a clock less a commit margin would have passed it.
     */
    @Test
    void should_hold_the_horizon_before_a_recording_that_commits_late() throws Exception {
        String slow = UUID.randomUUID().toString();
        CountDownLatch recorded = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Thread holder = new Thread(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
            record(slow);
            recorded.countDown();
            try {
                commit.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        holder.start();
        assertThat(recorded.await(30, TimeUnit.SECONDS)).isTrue();
        Instant heldSince = databaseNow();
        String fast = UUID.randomUUID().toString();
        new TransactionTemplate(transactions).executeWithoutResult(status -> record(fast));

        RecordingFence fence = new RecordingFence();
        List<Instant> fences = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            fences.add(fence.advance(store.snapshot().orElseThrow()));
            return databaseNow().isAfter(heldSince.plusSeconds(1));
        });
        commit.countDown();
        holder.join(30_000);

        Instant slowRecorded = receivedAt(slow);
        assertThat(receivedAt(fast)).as("the later recording").isAfter(slowRecorded);
        assertThat(fences).as("fences while the first recording was open").allMatch(at -> at.isBefore(slowRecorded));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fence.advance(store.snapshot().orElseThrow()).isAfter(receivedAt(fast)));
    }

    private void record(String interaction) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(new IncomingEvent(UUID.randomUUID().toString(), interaction, "test", "test", 1,
                Instant.now(), "{}"));
        assertThat(recorder.add(exchange, interaction)).isTrue();
    }

    private Instant receivedAt(String interaction) {
        return jdbc.sql("SELECT received_at FROM events WHERE interaction_id = :i").param("i", interaction)
                .query(OffsetDateTime.class).single().toInstant();
    }

    private Instant databaseNow() {
        return jdbc.sql("SELECT clock_timestamp()").query(OffsetDateTime.class).single().toInstant();
    }
}
