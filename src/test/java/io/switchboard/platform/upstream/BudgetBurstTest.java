package io.switchboard.platform.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.http.Problems;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * 45 data actions at once against a CXone budget of 20 calls a minute: 20 are created, and the other 25 are told
 * at once (429 problem+json with Retry-After) when to come back, since their turn is further off than
 * cxone.max-budget-wait (25 s). None of them is sent later behind the caller's back.
 */
@TestPropertySource(properties = "cxone.rate-limit-per-minute=20")
class BudgetBurstTest extends IntegrationTestBase {

    private static final String CREATE = "/cxone/api/v2/data-actions";
    private static final String BODY = """
            {"name":"FetchExternalInventory","type":"REST","configuration":{"method":"GET","url":"https://inventory.example.com"}}""";

    @Test
    void should_create_twenty_and_answer_the_rest_429_with_retry_after_at_once() throws Exception {
        upstream().stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"da-1\"}")));

        ExecutorService callers = Executors.newFixedThreadPool(45);
        List<Future<Api.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 45; i++) {
                answers.add(callers.submit((Callable<Api.Response>) () -> api.post("/api/data-actions", BODY)));
            }
            int created = 0;
            int refused = 0;
            for (Future<Api.Response> answer : answers) {
                Api.Response response = answer.get();
                if (response.status() == 201) {
                    created++;
                    continue;
                }
                assertThat(response.status()).as(response.body()).isEqualTo(429);
                assertThat(response.header("Content-Type")).startsWith(Problems.MEDIA_TYPE);
                assertThat(response.json().path("detail").asText())
                        .matches("CXone budget of 20 calls/min in use; retry after \\d+ s");
                // the turn was further off than max-budget-wait, which is why the caller was told at once
                assertThat(Long.parseLong(response.header("Retry-After"))).isGreaterThan(25);
                refused++;
            }
            assertThat(created).isEqualTo(20);
            assertThat(refused).isEqualTo(25);
        } finally {
            callers.shutdownNow();
        }
        assertThat(upstream().findAll(postRequestedFor(urlPathEqualTo(CREATE)))).as("CXone saw the accepted ones only")
                .hasSize(20);
    }
}
