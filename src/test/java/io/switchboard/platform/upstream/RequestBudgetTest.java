package io.switchboard.platform.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.test.IntegrationTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-platform request budget, with a small budget and a short window so that a burst over budget
 * shows its spreading within seconds: every call is served, and no window carries more than the budget.
 */
@TestPropertySource(properties = {"cxone.rate-limit-per-minute=5", "upstream.rate-limit-window=PT1S"})
class RequestBudgetTest extends IntegrationTestBase {

    @Test
    void should_spread_a_burst_so_that_no_window_exceeds_the_budget() throws Exception {
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v1/burst")).willReturn(aResponse().withStatus(200).withBody("{}")));

        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Exchange>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                calls.add(pool.submit((Callable<Exchange>) () -> producer.send(Upstream.CXONE, e -> {
                    e.getIn().setHeader(Upstream.PATH, "/api/v1/burst");
                    e.getIn().setBody(Map.of("n", 1));
                })));
            }
            for (Future<Exchange> call : calls) {
                assertThat(call.get().getException()).as("every call of the burst is served").isNull();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Instant> arrivals = upstream().findAll(postRequestedFor(urlPathEqualTo("/cxone/api/v1/burst"))).stream()
                .map(LoggedRequest::getLoggedDate).map(java.util.Date::toInstant).sorted().toList();
        assertThat(arrivals).hasSize(12);
        assertThat(largestCountInAnyWindow(arrivals, Duration.ofSeconds(1))).isLessThanOrEqualTo(5);
        // the budget was used, not wasted: 12 calls at 5 per second need at least two refills
        assertThat(Duration.between(arrivals.get(0), arrivals.get(11))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void should_serve_an_http_burst_within_max_budget_wait_at_the_budgets_pace() throws Exception {
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/data-actions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"da-1\"}")));
        String body = """
                {"name":"Inventory","type":"REST","configuration":{"method":"GET","url":"https://inventory.example.com"}}""";

        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<io.switchboard.test.Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> api.post("/api/data-actions", body)));
            }
            for (Future<io.switchboard.test.Api.Response> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Instant> arrivals = upstream().findAll(postRequestedFor(urlPathEqualTo("/cxone/api/v2/data-actions"))).stream()
                .map(LoggedRequest::getLoggedDate).map(java.util.Date::toInstant).sorted().toList();
        assertThat(arrivals).hasSize(12);
        assertThat(largestCountInAnyWindow(arrivals, Duration.ofSeconds(1))).isLessThanOrEqualTo(5);
    }

    static int largestCountInAnyWindow(List<Instant> sorted, Duration window) {
        int largest = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (!sorted.get(start).plus(window).isAfter(sorted.get(end))) {
                start++;
            }
            largest = Math.max(largest, end - start + 1);
        }
        return largest;
    }
}
