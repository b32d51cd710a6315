package io.switchboard.platform.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** GET /api/dead-letters pages like the audit log and filters by source and time; POST .../redrive?source= redrives a source. */
class DeadLetterPagingTest extends IntegrationTestBase {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    JdbcClient jdbc;

    private String insert(String source, Instant createdAt, String redriveUri) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO dead_letters (id, source, reason, attempts, created_at, payload, redrive_uri)"
                        + " VALUES (:id, :source, 'test', 1, :at, '{\"n\":1}', :uri)")
                .param("id", id).param("source", source).param("uri", redriveUri)
                .param("at", OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC)).update();
        return id;
    }

    @Test
    void should_page_newest_first_with_limit_and_the_before_cursor() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(insert("paging-test", NOW.minusSeconds(60L * i), null));   // ids[0] is the newest
        }
        insert("paging-other", NOW, null);

        JsonNode first = api.get("/api/dead-letters?source=paging-test&limit=2").json();
        JsonNode second = api.get("/api/dead-letters?source=paging-test&limit=2&before=" + first.path("next").asText()).json();
        JsonNode third = api.get("/api/dead-letters?source=paging-test&limit=2&before=" + second.path("next").asText()).json();

        assertThat(first.path("items").findValuesAsText("id")).containsExactly(ids.get(0), ids.get(1));
        assertThat(second.path("items").findValuesAsText("id")).containsExactly(ids.get(2), ids.get(3));
        assertThat(third.path("items").findValuesAsText("id")).containsExactly(ids.get(4));
        assertThat(third.has("next")).isFalse();
    }

    @Test
    void should_filter_by_time_and_validate_the_query() {
        String old = insert("window-test", NOW.minusSeconds(3600), null);
        String inside = insert("window-test", NOW.minusSeconds(1800), null);
        String recent = insert("window-test", NOW.minusSeconds(60), null);

        JsonNode window = api.get("/api/dead-letters?source=window-test&since=" + NOW.minusSeconds(1801)
                + "&until=" + NOW.minusSeconds(61)).json();

        assertThat(window.path("items").findValuesAsText("id")).containsExactly(inside).doesNotContain(old, recent);
        Api.Response invalid = api.get("/api/dead-letters?limit=501&before=yesterday&since=soon");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("limit", "before", "since");
    }

    @Test
    void should_redrive_every_dead_letter_of_a_source_and_answer_how_many() throws Exception {
        MockEndpoint redriven = camel.getEndpoint("mock:bulk-redrive-test", MockEndpoint.class);
        redriven.expectedMessageCount(3);
        for (int i = 0; i < 3; i++) {
            insert("bulk-test", NOW.minusSeconds(i + 1), "mock:bulk-redrive-test");
        }
        String stays = insert("bulk-test", NOW, null);
        String otherSource = insert("bulk-other", NOW, "mock:bulk-redrive-test");

        Api.Response answer = api.post("/api/dead-letters/redrive?source=bulk-test", "");

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(answer.json().path("redriven").asInt()).isEqualTo(3);
        assertThat(answer.json().path("remaining").asInt()).isEqualTo(1);
        redriven.assertIsSatisfied();
        assertThat(api.get("/api/dead-letters?source=bulk-test").json().path("items").findValuesAsText("id"))
                .containsExactly(stays);
        assertThat(api.get("/api/dead-letters?source=bulk-other").json().path("items").findValuesAsText("id"))
                .containsExactly(otherSource);
        Api.Response noSource = api.post("/api/dead-letters/redrive", "");
        assertThat(noSource.status()).isEqualTo(400);
        assertThat(noSource.json().path("errors").findValuesAsText("field")).containsExactly("source");
    }
}
