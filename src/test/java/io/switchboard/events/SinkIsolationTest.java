package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.deadletter.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every sink on its own: one failing or slow sink neither blocks, fails nor duplicates deliveries to the others. */
class SinkIsolationTest extends EventsTestBase {

    @Autowired
    AuditLog audit;

    @Test
    void should_keep_the_other_sinks_flowing_while_one_answers_500_and_let_it_catch_up_after() {
        List<String> interactions = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        Map<String, Integer> sequenceOf = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            interactions.add(UUID.randomUUID().toString());
        }
        for (int k = 1; k <= 50; k++) {
            for (String interaction : interactions) {
                String id = UUID.randomUUID().toString();
                sequenceOf.put(id, k);
                bodies.add(json(cxoneEvent(id, interaction, "Connected", k)));
            }
        }
        SINKS.fail("crm", 500);

        publish(bodies);

        // analytics and dashboard get all 400 while crm refuses every one
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(ours(SINKS.delivered("analytics"), interactions)).hasSize(400);
            assertThat(ours(SINKS.delivered("dashboard"), interactions)).hasSize(400);
        });
        assertThat(ours(SINKS.delivered("crm"), interactions)).isEmpty();
        assertThat(ours(SINKS.requests().stream().filter(r -> r.sink().equals("crm")).toList(), interactions))
                .isNotEmpty();
        // on a fast machine the others can finish inside crm's first backoff: stay down until crm has given up once
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(crmDeadLetters(interactions)).as("crm was down longer than its retries").isNotEmpty());

        SINKS.heal("crm");

        // what crm gave up on meanwhile is a dead letter; the rest reaches it now, in order, once each
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            long dead = crmDeadLetters(interactions).size();
            assertThat(ours(SINKS.delivered("crm"), interactions).size() + dead).isEqualTo(400);
        });
        List<DeadLetter> dead = crmDeadLetters(interactions);
        assertThat(dead).allSatisfy(letter -> {
            assertThat(letter.reason()).contains("Sink crm failed 4 time(s)").contains("500");
            assertThat(letter.attempts()).isEqualTo(4);
        });
        List<RecordingSinks.Request> crm = ours(SINKS.delivered("crm"), interactions);
        assertThat(crm).extracting(RecordingSinks.Request::eventId).doesNotHaveDuplicates();
        assertInOrder(crm, sequenceOf);
        for (DeadLetter letter : dead) {
            String eventId = letter.payload().path("id").asText();
            assertThat(SINKS.attempts("crm", eventId)).isEqualTo(4);
            assertThat(jdbc.sql("""
                    SELECT d.state FROM event_deliveries d JOIN events e ON e.pk = d.event_pk
                    WHERE e.event_id = :id AND d.sink = 'crm'""").param("id", eventId).query(String.class).single())
                    .isEqualTo("dead");
        }
        assertThat(dead).isNotEmpty();

        // redriving a dead letter repeats that one delivery to crm, and only to crm
        for (DeadLetter letter : dead) {
            assertThat(api.post("/api/dead-letters/" + letter.id() + "/redrive", "").status()).isEqualTo(202);
        }
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(ours(SINKS.delivered("crm"), interactions)).hasSize(400));
        assertThat(ours(SINKS.delivered("crm"), interactions)).extracting(RecordingSinks.Request::eventId)
                .doesNotHaveDuplicates();
        assertThat(ours(SINKS.delivered("analytics"), interactions)).hasSize(400);
        assertThat(ours(SINKS.delivered("dashboard"), interactions)).hasSize(400);
    }

    @Test
    void should_dead_letter_a_delivery_after_its_attempts_and_redrive_it_to_that_sink_only() {
        String interaction = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        SINKS.fail("crm", 500);
        double deadLetteredBefore = counter("switchboard.events.dead_lettered", "sink", "crm");

        publish(json(cxoneEvent(id, interaction, "Queued", 1)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLettersOf("events-sink-crm"))
                .anySatisfy(letter -> assertThat(letter.payload().path("id").asText()).isEqualTo(id)));
        DeadLetter letter = deadLettersOf("events-sink-crm").stream()
                .filter(l -> l.payload().path("id").asText().equals(id)).findFirst().orElseThrow();
        assertThat(letter.attempts()).isEqualTo(4);
        assertThat(letter.reason()).contains("Sink crm failed 4 time(s)").contains("500");
        assertThat(SINKS.attempts("crm", id)).isEqualTo(4);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                counter("switchboard.events.dead_lettered", "sink", "crm") - deadLetteredBefore).isEqualTo(1));
        assertThat(SINKS.attempts("analytics", id)).isEqualTo(1);
        assertThat(SINKS.attempts("dashboard", id)).isEqualTo(1);
        assertThat(jdbc.sql("""
                SELECT d.state FROM event_deliveries d JOIN events e ON e.pk = d.event_pk
                WHERE e.event_id = :id AND d.sink = 'crm'""").param("id", id).query(String.class).single())
                .isEqualTo("dead");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(audit.find("events", "event.dead-letter", null, 100)).anySatisfy(entry -> {
                    assertThat(entry.targetId()).isEqualTo(id);
                    assertThat(entry.outcome()).isEqualTo("failure");
                    assertThat(entry.httpStatus()).isEqualTo(500);
                }));

        SINKS.heal("crm");
        assertThat(api.post("/api/dead-letters/" + letter.id() + "/redrive", "").status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(SINKS.delivered("crm")).extracting(RecordingSinks.Request::eventId).contains(id));
        assertThat(SINKS.attempts("crm", id)).isEqualTo(5);
        assertThat(SINKS.attempts("analytics", id)).isEqualTo(1);
        assertThat(SINKS.attempts("dashboard", id)).isEqualTo(1);
    }

    @Test
    void should_retry_a_sink_that_fails_a_few_times_without_a_dead_letter() {
        String interaction = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        SINKS.failNext("dashboard", 503, 2);

        publish(json(cxoneEvent(id, interaction, "Queued", 1)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(SINKS.delivered("dashboard")).extracting(RecordingSinks.Request::eventId).contains(id));
        assertThat(SINKS.attempts("dashboard", id)).isEqualTo(3);
        assertThat(SINKS.attempts("analytics", id)).isEqualTo(1);
        assertThat(SINKS.attempts("crm", id)).isEqualTo(1);
        assertThat(deadLettersOf("events-sink-dashboard"))
                .noneMatch(letter -> letter.payload().path("id").asText().equals(id));
        // the retried request is the same request
        RecordingSinks.Request last = SINKS.delivered("dashboard").stream().filter(r -> r.eventId().equals(id))
                .findFirst().orElseThrow();
        assertThat(last.method()).isEqualTo("POST");
        assertThat(last.interactionId()).isEqualTo(interaction);
        assertThat(last.body()).contains(id);
    }

    @Test
    void should_not_hold_up_the_other_sinks_behind_a_slow_one() {
        List<String> interactions = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        List<String> bodies = new ArrayList<>();
        for (int k = 1; k <= 20; k++) {
            for (String interaction : interactions) {
                bodies.add(json(cxoneEvent(UUID.randomUUID().toString(), interaction, "Connected", k)));
            }
        }
        SINKS.slow("analytics", 1500);

        publish(bodies);

        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(ours(SINKS.delivered("crm"), interactions)).hasSize(40);
            assertThat(ours(SINKS.delivered("dashboard"), interactions)).hasSize(40);
        });
        // two interactions, so at most two of analytics' lanes are busy: it has done only a few by now
        assertThat(ours(SINKS.delivered("analytics"), interactions).size()).isLessThan(40);
        SINKS.slow("analytics", 0);
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(ours(SINKS.delivered("analytics"), interactions)).hasSize(40));
    }

    private List<DeadLetter> crmDeadLetters(List<String> interactions) {
        Set<String> ids = Set.copyOf(interactions);
        return deadLettersOf("events-sink-crm").stream()
                .filter(letter -> ids.contains(letter.payload().path("detail").path("interaction.id").asText()))
                .toList();
    }

    private static List<RecordingSinks.Request> ours(List<RecordingSinks.Request> requests, List<String> interactions) {
        Set<String> ids = Set.copyOf(interactions);
        return requests.stream().filter(r -> ids.contains(r.interactionId())).toList();
    }

    private static void assertInOrder(List<RecordingSinks.Request> delivered, Map<String, Integer> sequenceOf) {
        Map<String, List<Integer>> byInteraction = delivered.stream().collect(Collectors.groupingBy(
                RecordingSinks.Request::interactionId, Collectors.mapping(r -> sequenceOf.get(r.eventId()),
                        Collectors.toList())));
        byInteraction.forEach((interaction, sequence) ->
                assertThat(sequence).as("crm's order for %s", interaction).isSorted());
    }
}
