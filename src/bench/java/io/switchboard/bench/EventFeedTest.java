package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFeedTest {

    @Test
    void should_plan_the_issue_mix_of_distinct_events_duplicates_and_interactions() {
        EventFeed feed = EventFeed.plan(1, 100_000, 100, 0.10, 200, 7);

        assertThat(feed.messages()).isEqualTo(100_000);
        assertThat(feed.unique()).isEqualTo(90_000);
        Set<Integer> events = new HashSet<>();
        Set<Integer> interactions = new HashSet<>();
        for (int i = 0; i < feed.messages(); i++) {
            events.add(feed.eventAt(i));
            interactions.add(feed.interactionOf(feed.eventAt(i)));
        }
        assertThat(events).hasSize(90_000);
        assertThat(interactions).hasSize(100);
    }

    @Test
    void should_shuffle_only_within_the_window() {
        EventFeed feed = EventFeed.plan(1, 20_000, 100, 0.10, 200, 7);

        int outOfPlace = 0;
        int[] firstSeenAt = new int[feed.unique()];
        java.util.Arrays.fill(firstSeenAt, -1);
        for (int i = 0; i < feed.messages(); i++) {
            int event = feed.eventAt(i);
            if (firstSeenAt[event] < 0) {
                firstSeenAt[event] = i;
            }
        }
        for (int e = 0; e < feed.unique(); e++) {
            // an event's first copy stays near its place in the unshuffled order (duplicates shift it a little)
            double expected = e / 0.9;
            assertThat(Math.abs(firstSeenAt[e] - expected)).isLessThan(2 * 200 + 0.1 * expected / 10 + 400);
            if (e > 0 && firstSeenAt[e] < firstSeenAt[e - 1]) {
                outOfPlace++;
            }
        }
        assertThat(outOfPlace).as("the feed is really shuffled").isGreaterThan(feed.unique() / 10);
    }

    @Test
    void should_publish_envelopes_switchboard_accepts() throws Exception {
        com.networknt.schema.JsonSchema schema = com.networknt.schema.JsonSchemaFactory
                .getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(java.nio.file.Files.readString(java.nio.file.Path.of("config/schemas/event-envelope.json")));
        EventFeed feed = EventFeed.plan(2, 50, 7, 0.1, 5, 3);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        for (int i = 0; i < feed.messages(); i++) {
            assertThat(schema.validate(json.readTree(feed.message(i)))).as(feed.message(i)).isEmpty();
        }
    }

    @Test
    void should_carry_run_and_index_in_event_ids() {
        EventFeed feed = EventFeed.plan(4242, 10, 3, 0, 1, 1);

        String id = feed.id(123_456);

        assertThat(EventFeed.runOf(id)).isEqualTo(4242);
        assertThat(EventFeed.indexOf(id)).isEqualTo(123_456);
        assertThat(EventFeed.runOf("5b0a7d00-not-a-bench-id")).isEqualTo(-1);
        assertThat(EventFeed.runOf(java.util.UUID.randomUUID().toString())).isEqualTo(-1);
    }

    @Test
    void should_number_each_interaction_from_one_in_sequence() {
        EventFeed feed = EventFeed.distinct(3, 300, 100);

        assertThat(feed.sequenceOf(0)).isEqualTo(1);
        assertThat(feed.sequenceOf(99)).isEqualTo(1);
        assertThat(feed.sequenceOf(100)).isEqualTo(2);
        assertThat(feed.interactionId(100)).isEqualTo(feed.interactionId(0));
        assertThat(feed.envelope(100)).contains("\"sequence\":2").contains("\"id\":\"" + feed.id(100) + "\"")
                .contains("\"interaction.id\":\"" + feed.interactionId(0) + "\"");
    }
}
