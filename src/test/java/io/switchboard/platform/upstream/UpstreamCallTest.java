package io.switchboard.platform.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.platform.deadletter.DeadLetter;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.test.IntegrationTestBase;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The one mechanism every workflow uses to call CXone and Genesys Cloud ({@code direct:cxone},
 * {@code direct:genesys}), exercised against WireMock stubs of the platforms.
 */
class UpstreamCallTest extends IntegrationTestBase {

    private static final String PATH = "/api/v1/things";

    @Autowired
    UpstreamGateway gateway;

    @Autowired
    DeadLetters deadLetters;

    @BeforeEach
    void freshTokens() {
        // each test starts with no cached token, as after a restart
        gateway.platform("cxone").tokens().reject("test-token-cxone");
        gateway.platform("genesys").tokens().reject("test-token-genesys");
    }

    private Exchange call(String endpoint, String method, String path, Object body) {
        return producer.send(endpoint, exchange -> {
            exchange.getIn().setHeader(Upstream.METHOD, method);
            exchange.getIn().setHeader(Upstream.PATH, path);
            exchange.getIn().setHeader("X-API-Key", "caller-key-must-not-leak");
            exchange.getIn().setBody(body);
        });
    }

    private Exchange postThing() {
        return call(Upstream.CXONE, "POST", PATH, Map.of("name", "x"));
    }

    @Test
    void should_send_the_request_with_a_bearer_token_and_give_the_caller_its_headers_back() {
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("ETag", "\"v1\"").withBody("{\"id\":\"t-1\"}")));

        Exchange exchange = postThing();

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("{\"id\":\"t-1\"}");
        assertThat(exchange.getMessage().getHeader(Upstream.STATUS)).isEqualTo(201);
        assertThat(exchange.getMessage().getHeader(Upstream.RESPONSE_HEADERS, Map.class).get("etag")).isEqualTo("\"v1\"");
        assertThat(exchange.getMessage().getHeader("X-API-Key")).isEqualTo("caller-key-must-not-leak");
        LoggedRequest sent = upstream().findAll(postRequestedFor(urlPathEqualTo("/cxone" + PATH))).get(0);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer test-token-cxone");
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(sent.getBodyAsString()).isEqualTo("{\"name\":\"x\"}");
        assertThat(sent.containsHeader("X-API-Key")).isFalse();
        LoggedRequest token = upstream().findAll(postRequestedFor(urlPathEqualTo("/cxone/oauth/token"))).get(0);
        assertThat(token.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(token.getBodyAsString()).startsWith("grant_type=client_credentials&scope=email%3Awrite+");
        // token-auth-method auto: HTTP Basic first (the stub takes it, so it is kept)
        assertThat(token.getHeader("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString(
                "test-cxone:cxone-canary-secret-3141".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void should_fetch_one_token_for_twenty_concurrent_calls() throws Exception {
        upstream().stubFor(post(urlPathEqualTo("/cxone/oauth/token")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(300).withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"slow-token\",\"expires_in\":3600}")));
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).willReturn(aResponse().withStatus(200).withBody("{}")));

        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Exchange>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit((Callable<Exchange>) this::postThing));
            }
            for (Future<Exchange> call : calls) {
                assertThat(call.get().getException()).isNull();
            }
        } finally {
            pool.shutdownNow();
        }
        upstream().verify(1, postRequestedFor(urlPathEqualTo("/cxone/oauth/token")));
        upstream().verify(20, postRequestedFor(urlPathEqualTo("/cxone" + PATH))
                .withHeader("Authorization", equalTo("Bearer slow-token")));
        gateway.platform("cxone").tokens().reject("slow-token");
    }

    @Test
    void should_refresh_the_token_once_and_repeat_once_after_a_401() {
        upstream().stubFor(post(urlPathEqualTo("/cxone/oauth/token")).inScenario("tokens")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("second")
                .willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"revoked\",\"expires_in\":3600}")));
        upstream().stubFor(post(urlPathEqualTo("/cxone/oauth/token")).inScenario("tokens")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"fresh\",\"expires_in\":3600}")));
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).withHeader("Authorization", equalTo("Bearer revoked"))
                .willReturn(aResponse().withStatus(401).withBody("{\"message\":\"token revoked\"}")));
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).withHeader("Authorization", equalTo("Bearer fresh"))
                .willReturn(aResponse().withStatus(201).withBody("{}")));

        Exchange exchange = postThing();

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(Upstream.STATUS)).isEqualTo(201);
        upstream().verify(2, postRequestedFor(urlPathEqualTo("/cxone/oauth/token")));
        upstream().verify(2, postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
        gateway.platform("cxone").tokens().reject("fresh");
    }

    @Test
    void should_not_repeat_more_than_once_when_the_fresh_token_is_refused_too() {
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).willReturn(aResponse().withStatus(401)));

        Exchange exchange = postThing();

        assertThat(exchange.getException()).isInstanceOf(UpstreamException.class);
        assertThat(((UpstreamException) exchange.getException()).status()).isEqualTo(401);
        upstream().verify(2, postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
        upstream().verify(2, postRequestedFor(urlPathEqualTo("/cxone/oauth/token")));
    }

    @Test
    void should_wait_out_retry_after_in_seconds() {
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).inScenario("throttled")
                .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(201).withBody("{}")));

        Exchange exchange = postThing();

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(Upstream.ATTEMPTS)).isEqualTo(2);
        assertThat(exchange.getMessage().getBody(String.class)).as("the answer of the attempt that worked").isEqualTo("{}");
        assertThat(gapBetweenCalls("/cxone" + PATH)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void should_wait_out_retry_after_as_an_http_date() {
        ZonedDateTime retryAt = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2).withNano(0);
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(retryAt);
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", inTwoSeconds)));
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).inScenario("throttled")
                .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(201).withBody("{}")));

        Exchange exchange = postThing();

        assertThat(exchange.getException()).isNull();
        // the repeat goes out no earlier than the date named (the clocks agree to the millisecond here: one JVM),
        // however late the first call went out on a busy machine
        List<LoggedRequest> requests = upstream().findAll(postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).getLoggedDate().toInstant()).isAfterOrEqualTo(retryAt.toInstant().minusMillis(50));
    }

    @Test
    void should_not_wait_out_a_retry_after_longer_than_the_limit() {
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "600")));

        Exchange exchange = postThing();

        assertThat(exchange.getException()).isInstanceOf(UpstreamException.class)
                .hasMessageContaining("CXone answered 429");
        upstream().verify(1, postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
    }

    @Test
    void should_retry_5xx_up_to_max_attempts_then_fail_with_the_upstream_message() {
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH))
                .willReturn(aResponse().withStatus(503).withBody("{\"message\":\"maintenance window\"}")));

        Exchange exchange = postThing();

        assertThat(exchange.getException()).isInstanceOf(UpstreamException.class)
                .hasMessage("CXone answered 503: maintenance window");
        assertThat(((UpstreamException) exchange.getException()).attempts()).isEqualTo(4);
        upstream().verify(4, postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
    }

    @Test
    void should_retry_connection_resets() {
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).inScenario("flaky")
                .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(201).withBody("{}")));

        Exchange exchange = postThing();

        assertThat(exchange.getException()).isNull();
        upstream().verify(2, postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
    }

    @Test
    void should_fail_other_4xx_at_once() {
        for (int status : new int[] {400, 403, 404, 409, 422}) {
            TestUpstreamsReset.reset();
            upstream().stubFor(get(urlPathEqualTo("/genesys/api/v2/x"))
                    .willReturn(aResponse().withStatus(status).withBody("{\"message\":\"no: " + status + "\"}")));

            Exchange exchange = call(Upstream.GENESYS, "GET", "/api/v2/x", null);

            assertThat(exchange.getException()).isInstanceOf(UpstreamException.class)
                    .hasMessage("Genesys Cloud answered " + status + ": no: " + status);
            upstream().verify(1, getRequestedFor(urlPathEqualTo("/genesys/api/v2/x")));
        }
    }

    @Test
    void should_turn_exhausted_retries_of_queued_work_into_a_dead_letter() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:test-queued-work").routeId("test-queued-work")
                        .errorHandler(deadLetterChannel(DeadLetters.ENDPOINT))
                        .setProperty(DeadLetters.SOURCE, constant("test-queued"))
                        .setProperty(DeadLetters.REDRIVE_URI, constant("direct:test-queued-work"))
                        .setHeader(Upstream.PATH, constant(PATH))
                        .to(Upstream.CXONE);
            }
        });
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).willReturn(aResponse().withStatus(500)));
        // a token first, so that every one of the call's attempts is a POST (a slow first token request
        // on a busy machine would otherwise use up attempts of its own)
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> gateway.platform("cxone").tokens().token() != null);

        producer.sendBody("direct:test-queued-work", "{\"messageId\":\"m-1\"}");

        List<DeadLetter> letters = deadLetters.list("test-queued", 10);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).reason()).isEqualTo("CXone answered 500");
        assertThat(letters.get(0).payload().path("messageId").asText()).isEqualTo("m-1");
        upstream().verify(4, postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
        camel.getRouteController().stopRoute("test-queued-work");
        camel.removeRoute("test-queued-work");
    }

    @Test
    void should_retry_a_later_call_on_an_exchange_whose_earlier_call_failed_and_was_caught() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:test-caught-then-call").routeId("test-caught-then-call")
                        .doTry()
                            .setHeader(Upstream.METHOD, constant("GET"))
                            .setHeader(Upstream.PATH, constant("/api/v1/missing"))
                            .to(Upstream.CXONE)
                        .doCatch(UpstreamException.class)
                            .setBody(constant("{\"name\":\"x\"}"))
                        .end()
                        .setHeader(Upstream.METHOD, constant("POST"))
                        .setHeader(Upstream.PATH, constant(PATH))
                        .to(Upstream.CXONE);
            }
        });
        upstream().stubFor(get(urlPathEqualTo("/cxone/api/v1/missing")).willReturn(aResponse().withStatus(404)));
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(503)));
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).inScenario("busy")
                .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"t-2\"}")));

        Exchange exchange = producer.send("direct:test-caught-then-call", e -> e.getIn().setBody(null));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("{\"id\":\"t-2\"}");
        upstream().verify(2, postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
        camel.getRouteController().stopRoute("test-caught-then-call");
        camel.removeRoute("test-caught-then-call");
    }

    @Test
    void should_hand_an_exhausted_call_to_the_callers_own_redelivery() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:test-caller-redelivers").routeId("test-caller-redelivers")
                        .errorHandler(defaultErrorHandler().maximumRedeliveries(1).redeliveryDelay(0))
                        .to("direct:test-caller-step");
                from("direct:test-caller-step").routeId("test-caller-step")
                        .errorHandler(noErrorHandler())
                        .setHeader(Upstream.PATH, constant(PATH))
                        .setHeader(Upstream.MAX_ATTEMPTS, constant(2))
                        .to(Upstream.CXONE);
            }
        });
        upstream().stubFor(post(urlPathEqualTo("/cxone" + PATH)).willReturn(aResponse().withStatus(500)));

        Exchange exchange = producer.send("direct:test-caller-redelivers", e -> e.getIn().setBody("{}"));

        assertThat(exchange.getException()).isInstanceOf(UpstreamException.class);
        // two attempts of the call, and the caller's one redelivery makes two more
        upstream().verify(4, postRequestedFor(urlPathEqualTo("/cxone" + PATH)));
        for (String route : List.of("test-caller-redelivers", "test-caller-step")) {
            camel.getRouteController().stopRoute(route);
            camel.removeRoute(route);
        }
    }

    @Test
    void should_report_an_unreachable_platform_as_the_io_error_after_retries() {
        Exchange exchange = call(Upstream.CXONE, "GET", "http://127.0.0.1:1/unreachable", null);

        assertThat(exchange.getException()).isInstanceOf(IOException.class);
        assertThat(exchange.getMessage().getHeader(Upstream.ATTEMPTS)).isEqualTo(4);
    }

    /** Time between the first two calls the stub received on a path. */
    private static Duration gapBetweenCalls(String path) {
        List<LoggedRequest> requests = upstream().findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
        return Duration.between(requests.get(0).getLoggedDate().toInstant(), requests.get(1).getLoggedDate().toInstant());
    }

    /** Lets a loop inside one test start from clean stubs. */
    private static final class TestUpstreamsReset {
        static void reset() {
            io.switchboard.test.TestUpstreams.reset();
        }
    }
}
