package io.switchboard.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.platform.http.ApiRequestFilter;
import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import org.apache.camel.builder.RouteBuilder;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Correlation in the logs (MDC): every line written while an API request is answered carries its X-Correlation-ID,
 * and every line written for an event carries its X-Event-Id and X-Interaction-Id (here: the sandbox's log sinks,
 * which print each event they receive, on the pipeline's own threads).
 */
class LogCorrelationTest extends IntegrationTestBase {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger requests = (Logger) LoggerFactory.getLogger(ApiRequestFilter.class);
    private Level requestsLevel;

    @BeforeEach
    void captureLines() {
        lines.start();
        root.addAppender(lines);
        requestsLevel = requests.getLevel();
        requests.setLevel(Level.DEBUG); // one line per request at least
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(lines);
        requests.setLevel(requestsLevel);
    }

    /** A stand-in workflow endpoint that logs a step, hands the exchange to another thread and logs again. */
    @BeforeEach
    void loggingEndpoint() throws Exception {
        if (camel.getRoute("test-log") != null) {
            return;
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/api/test-log").get().to("direct:test-log");
                from("direct:test-log").routeId("test-log")
                        .routeConfigurationId(ApiRouteConfiguration.ID)
                        .log("test-log: first step")
                        .threads(1).threadName("test-log-hop")
                        .log("test-log: after a thread hop")
                        .setBody(constant(Map.of("ok", true)))
                        .bean(JsonResponses.class, "ok");
            }
        });
    }

    @Test
    void should_carry_the_correlation_id_on_every_line_of_an_api_request() {
        String correlationId = "corr-" + UUID.randomUUID();

        Api.Response response = api.send("GET", "/api/test-log", null,
                Map.of("X-API-Key", Api.KEY, "X-Correlation-ID", correlationId));

        assertThat(response.status()).isEqualTo(200);
        List<ILoggingEvent> ofRequest = lines().stream()
                .filter(line -> line.getFormattedMessage().startsWith("test-log:")
                        || line.getFormattedMessage().equals("GET /api/test-log by tester"))
                .toList();
        assertThat(ofRequest).hasSize(3);
        assertThat(ofRequest).extracting(ILoggingEvent::getThreadName).doesNotHaveDuplicates();
        assertThat(ofRequest).allSatisfy(line -> assertThat(line.getMDCPropertyMap()).as(line.getFormattedMessage())
                .containsEntry(ApiRequestFilter.CORRELATION_HEADER, correlationId));
    }

    @Test
    void should_carry_the_event_and_interaction_ids_on_every_line_written_for_an_event() {
        String eventId = "evt-" + UUID.randomUUID();
        String interactionId = "int-" + UUID.randomUUID();

        assertThat(api.post("/api/events", event(eventId, interactionId)).status()).isEqualTo(202);

        // the three sandbox sinks (log endpoints) each print the event
        List<ILoggingEvent> forEvent = await().atMost(Duration.ofSeconds(30)).until(
                () -> lines().stream().filter(line -> line.getFormattedMessage().contains(eventId)).toList(),
                found -> found.stream().filter(line -> line.getLoggerName().startsWith("switchboard.sink.")).count() >= 3);
        assertThat(forEvent).allSatisfy(line -> assertThat(line.getMDCPropertyMap()).as(line.getFormattedMessage())
                .containsEntry("X-Event-Id", eventId)
                .containsEntry("X-Interaction-Id", interactionId));
    }

    private static String event(String id, String interactionId) {
        return Api.json(Map.of("version", "0", "id", id, "detail-type", "Interaction.Lifecycle.StageChanged",
                "source", "com.nice.cxone.interactions", "account", "123456789012", "time", "2025-01-15T10:00:00Z",
                "region", "us-east-1", "resources", List.of(),
                "detail", Map.of("interaction.id", interactionId, "participant.id", "agent-7", "stage", "Queued",
                        "state", "Active")));
    }

    /** What was logged so far: a copy taken under the appender's lock (it appends from every thread). */
    private List<ILoggingEvent> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines.list);
        }
    }
}
