package io.switchboard.email;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.test.IntegrationTestBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The delivery-report poll: every page following nextPage, counted while streaming; the summary and
 * metrics; failed items onto the retry queue once; a failing poll leaves the previous summary.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryReportPollingTest extends IntegrationTestBase {

    static final String RETRY = "/cxone/api/v1/email/delivery/retry";

    @Autowired
    MeterRegistry meters;

    @Autowired
    RetryQueueLedger ledger;

    @Autowired
    JdbcClient jdbc;

    private String prefix;

    @BeforeEach
    void retriesAreAccepted() {
        prefix = "m" + UUID.randomUUID().toString().substring(0, 8);
        upstream().stubFor(post(urlPathEqualTo(RETRY)).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"queued\"}")));
    }

    private void poll() {
        producer.requestBody("direct:email-poll-reports", (Object) null);
    }

    private JsonNode summary() {
        return api.get("/api/email/delivery/summary").json();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double counter(String name, String... tags) {
        var search = meters.find(name).tags(tags).counter();
        return search == null ? 0 : search.count();
    }

    private List<String> retriedMessageIds() {
        return upstream().findAll(postRequestedFor(urlPathEqualTo(RETRY))).stream()
                .map(LoggedRequest::getBodyAsString).toList();
    }

    @Test
    void should_follow_next_page_to_the_end_and_publish_the_reference_bounce_rate() {
        // 20 items over 3 pages, as in the sandbox: 2 bounced, 3 failed
        ReportPages.stub(upstream(), prefix, "dddbddfd", "ddbddfd", "dddfd");

        poll();

        JsonNode summary = summary();
        assertThat(summary.path("items").asLong()).isEqualTo(20);
        assertThat(summary.path("bounces").asLong()).isEqualTo(2);
        assertThat(summary.path("bounceRate").asDouble()).isEqualTo(10.0);
        assertThat(summary.path("failed").asLong()).isEqualTo(3);
        assertThat(summary.path("delivered").asLong()).isEqualTo(15);
        assertThat(summary.path("pages").asInt()).isEqualTo(3);
        assertThat(Instant.parse(summary.path("polledAt").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(summary.has("lastFailedPoll")).isFalse();

        upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo(ReportPages.PATH)).withQueryParam("page", WireMock.absent()));
        upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo(ReportPages.PATH)).withQueryParam("page", WireMock.equalTo("2")));
        upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo(ReportPages.PATH)).withQueryParam("page", WireMock.equalTo("3")));

        assertThat(gauge("switchboard.email.delivery.items")).isEqualTo(20);
        assertThat(gauge("switchboard.email.delivery.bounces")).isEqualTo(2);
        assertThat(gauge("switchboard.email.delivery.failed")).isEqualTo(3);
        assertThat(gauge("switchboard.email.delivery.bounce.rate")).isEqualTo(10.0);
        assertThat(api.send("GET", "/actuator/prometheus", null, java.util.Map.of()).body())
                .contains("switchboard_email_delivery_bounce_rate_percent", "switchboard_email_reports_polls_total");
    }

    @Test
    void should_count_a_bounce_code_as_a_bounce_and_answer_zero_without_items() {
        upstream().stubFor(ReportPages.request(1).willReturn(okJson("{\"items\":[{\"messageId\":\"" + prefix
                + "-x\",\"status\":\"delivered\",\"bounceCode\":\"421 4.4.1\"},{\"messageId\":\"" + prefix
                + "-y\",\"status\":\"delivered\",\"extra\":{\"nested\":[1,2]}}],\"pageSize\":2}")));
        poll();
        assertThat(summary().path("bounces").asLong()).isEqualTo(1);
        assertThat(summary().path("bounceRate").asDouble()).isEqualTo(50.0);

        upstream().stubFor(ReportPages.request(1).willReturn(okJson("{\"items\":[],\"pageSize\":0,\"totalCount\":0}")));
        poll();
        assertThat(summary().path("items").asLong()).isZero();
        assertThat(summary().path("bounceRate").asDouble()).isZero();
    }

    @Test
    void should_warn_when_the_bounce_rate_is_above_five_percent(CapturedOutput output) {
        // the output is the whole test JVM's: a cached sandbox context polls its own reports meanwhile (2 of 20
        // bounced, 10 %), so each poll here is told apart by its counts
        ReportPages.stub(upstream(), prefix, "ddddddddddddddddddd" + "d"); // 0 %
        poll();
        assertThat(output.getOut()).doesNotContain("(0 of 20 deliveries bounced)");

        ReportPages.stub(upstream(), prefix, "dddddddddddddddddddb"); // 5 %: not above
        poll();
        assertThat(output.getOut()).doesNotContain("(1 of 20 deliveries bounced)");

        ReportPages.stub(upstream(), prefix, "dddddddddddddddddbbd", "dddddddddddddddddbbd"); // 10 %
        poll();
        assertThat(output.getOut()).contains("WARN")
                .contains("Email bounce rate 10.00% is above 5.0% (4 of 40 deliveries bounced): sender reputation at risk");
    }

    @Test
    void should_queue_each_failed_item_once_even_when_later_polls_report_it_again() {
        ReportPages.stub(upstream(), prefix, "dfdf", "bfd");
        double queuedBefore = counter("switchboard.email.retry.queued");

        poll();
        await().atMost(Duration.ofSeconds(20)).until(() -> retriedMessageIds().size() == 3);
        poll();
        poll();

        assertThat(summary().path("failed").asLong()).isEqualTo(3);
        assertThat(counter("switchboard.email.retry.queued") - queuedBefore).isEqualTo(3);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> retriedMessageIds().size() == 3);
        assertThat(retriedMessageIds()).containsExactlyInAnyOrder(
                "{\"messageId\":\"" + prefix + "-1-1\"}", "{\"messageId\":\"" + prefix + "-1-3\"}",
                "{\"messageId\":\"" + prefix + "-2-1\"}");
        assertThat(ledger.isQueued(prefix + "-1-1")).isTrue();
    }

    @Test
    void should_remember_queued_items_across_a_restart() {
        ReportPages.stub(upstream(), prefix, "fd");
        poll();
        assertThat(ledger.isQueued(prefix + "-1-0")).isTrue();

        // a new instance (after a restart, or another node) sees the same table
        RetryQueueLedger restarted = new RetryQueueLedger(jdbc, Clock.systemUTC(), meters);
        assertThat(restarted.add(prefix + "-1-0")).isFalse();
        assertThat(restarted.add(prefix + "-new")).isTrue();
    }

    @Test
    void should_take_over_a_claim_left_by_an_instance_that_died_before_queueing() {
        String orphan = prefix + "-orphan";
        jdbc.sql("INSERT INTO email_retry_queued (message_id, state, claimed_at) VALUES (:id, 'claimed', :at)")
                .param("id", orphan).param("at", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10)).update();
        String fresh = prefix + "-in-flight";
        assertThat(ledger.add(fresh)).isTrue();

        upstream().stubFor(ReportPages.request(1).willReturn(okJson("{\"items\":["
                + ReportPages.item(orphan, 'f') + "," + ReportPages.item(fresh, 'f') + "]}")));
        poll();

        assertThat(ledger.isQueued(orphan)).isTrue();
        assertThat(ledger.isQueued(fresh)).isFalse(); // someone else is queueing it right now
    }

    @Test
    void should_retry_a_failing_page_through_the_shared_mechanism() {
        ReportPages.stub(upstream(), prefix, "dd", "db");
        upstream().stubFor(ReportPages.request(2).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        upstream().stubFor(ReportPages.request(2).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(ReportPages.page(prefix, 2, "db", null))));

        poll();

        assertThat(summary().path("items").asLong()).isEqualTo(4);
        assertThat(summary().path("bounces").asLong()).isEqualTo(1);
        upstream().verify(exactly(2), getRequestedFor(urlPathEqualTo(ReportPages.PATH))
                .withQueryParam("page", WireMock.equalTo("2")));
    }

    @Test
    void should_keep_the_previous_summary_when_a_poll_still_fails_and_show_it_in_metrics() {
        ReportPages.stub(upstream(), prefix, "ddd", "bd");
        poll();
        JsonNode before = summary();
        assertThat(before.path("items").asLong()).isEqualTo(5);
        double failuresBefore = counter("switchboard.email.reports.polls", "outcome", "failure");

        upstream().stubFor(ReportPages.request(1).willReturn(okJson(ReportPages.page(prefix, 1, "bbbbbb",
                ReportPages.PATH + "?page=2"))));
        upstream().stubFor(ReportPages.request(2).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"reports backend down\"}")));
        poll();

        JsonNode after = summary();
        assertThat(after.path("items").asLong()).isEqualTo(5);
        assertThat(after.path("bounces").asLong()).isEqualTo(1);
        assertThat(after.path("polledAt").asText()).isEqualTo(before.path("polledAt").asText());
        assertThat(after.path("lastFailedPoll").path("error").asText()).contains("500", "reports backend down");
        assertThat(after.path("lastFailedPoll").path("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(counter("switchboard.email.reports.polls", "outcome", "failure") - failuresBefore).isEqualTo(1);
        assertThat(gauge("switchboard.email.reports.consecutive.failures")).isEqualTo(1);
        assertThat(gauge("switchboard.email.delivery.items")).isEqualTo(5);
        // once in the first poll, then upstream.max-attempts (4) times in the failing one
        upstream().verify(exactly(5), getRequestedFor(urlPathEqualTo(ReportPages.PATH))
                .withQueryParam("page", WireMock.equalTo("2")));
    }

    @Test
    void should_fail_a_poll_whose_page_is_an_html_page_as_the_platforms_failure_quoting_nothing_of_it() {
        upstream().stubFor(ReportPages.request(1).willReturn(okJson(ReportPages.page(prefix, 1, "dd",
                ReportPages.PATH + "?page=2"))));
        upstream().stubFor(ReportPages.request(2).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>maintenance</html>")));
        poll();

        String error = summary().path("lastFailedPoll").path("error").asText();
        assertThat(error).isEqualTo("CXone answered 200 to a delivery report page with a body that is not JSON "
                + "(parsing failed at line 1, column 1; Content-Type text/html)");
        // not retried: CXone answered, and would answer the same
        upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo(ReportPages.PATH))
                .withQueryParam("page", WireMock.equalTo("2")));
    }

    @Test
    void should_not_follow_a_next_page_that_leaves_the_cxone_host() {
        upstream().stubFor(ReportPages.request(1).willReturn(okJson(ReportPages.page(prefix, 1, "dd",
                "https://reports.elsewhere.example/api/v1/email/delivery/reports?page=2"))));
        poll();
        assertThat(summary().path("lastFailedPoll").path("error").asText()).contains("leads off the CXone host");
    }

    @Test
    void should_accept_a_bare_page_token_as_next_page() {
        upstream().stubFor(ReportPages.request(1).willReturn(okJson(ReportPages.page(prefix, 1, "dd", "2"))));
        upstream().stubFor(ReportPages.request(2).willReturn(okJson(ReportPages.page(prefix, 2, "bd", null))));
        poll();
        assertThat(summary().path("items").asLong()).isEqualTo(4);
        assertThat(summary().path("pages").asInt()).isEqualTo(2);
    }

    @Test
    void should_read_many_pages_in_one_poll() {
        // few enough to stay inside the shared CXone request budget; the benchmark reads 10,000 pages
        String[] kinds = new String[25];
        java.util.Arrays.fill(kinds, "ddddddddddddddddddddbbbbbd"); // 26 items, 5 bounced
        ReportPages.stub(upstream(), prefix, kinds);
        poll();
        assertThat(summary().path("pages").asInt()).isEqualTo(25);
        assertThat(summary().path("items").asLong()).isEqualTo(25 * 26);
        assertThat(summary().path("bounces").asLong()).isEqualTo(25 * 5);
    }
}
