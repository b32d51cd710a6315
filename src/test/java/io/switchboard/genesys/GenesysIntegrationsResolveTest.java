package io.switchboard.genesys;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * POST /api/genesys/integrations/resolve against real HTTPS destinations on 127.0.0.1 (allowed through
 * {@code resolver.allowed-networks=127.0.0.0/8}) with certificates made in the test: a test CA trusted
 * through {@code resolver.trust-store}, and servers with a good, an expired, a self-signed and a
 * wrong-host certificate, a TLS 1.1-only server and a silent one.
 */
@TestPropertySource(properties = {
        "resolver.allowed-networks=127.0.0.0/8",
        "resolver.connect-timeout=PT2S",
        "resolver.tls-timeout=PT2S",
        "resolver.health-timeout=PT2S"})
class GenesysIntegrationsResolveTest extends IntegrationTestBase {

    private static final String RESOLVE = "/api/genesys/integrations/resolve";
    private static final String METRICS = "/api/genesys/integrations/metrics";
    private static final String GENESYS_CREATE = "/genesys/api/v2/outbound/integrations";

    private static TestHttpsServer trusted;
    private static TestHttpsServer expired;
    private static TestHttpsServer selfSigned;
    private static TestHttpsServer wrongHost;
    private static TestListeners.Listener silent;
    private static TestListeners.Listener tls11Only;

    @DynamicPropertySource
    static void trustStore(DynamicPropertyRegistry registry) {
        registry.add("resolver.trust-store", () -> TestCertificates.get().trustStore.toString());
        registry.add("resolver.trust-store-password", () -> TestCertificates.TRUST_STORE_PASSWORD);
    }

    @BeforeAll
    static void startDestinations() {
        TestCertificates certificates = TestCertificates.get();
        trusted = new TestHttpsServer(certificates.trusted);
        expired = new TestHttpsServer(certificates.expired);
        selfSigned = new TestHttpsServer(certificates.selfSigned);
        wrongHost = new TestHttpsServer(certificates.wrongHost);
        silent = TestListeners.silent();
        tls11Only = TestListeners.tls11Only();
    }

    @AfterAll
    static void stopDestinations() {
        for (AutoCloseable destination : new AutoCloseable[] {trusted, expired, selfSigned, wrongHost, silent, tls11Only}) {
            try {
                destination.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
    }

    // ---------------------------------------------------------------- validation

    @Test
    void should_answer_400_naming_every_problem_of_the_request() {
        List<String> uris = new ArrayList<>();
        uris.add("https://admin@hooks.example.com/");
        uris.add("https://hooks example.com/");
        for (int i = 2; i < 11; i++) {
            uris.add("https://hooks-" + i + ".example.com/");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "");
        body.put("type", "webhook");
        body.put("uri", "http://hooks.example.com/events");
        body.put("uris", uris);
        body.put("retryPolicy", Map.of("maxRetries", 6, "retryInterval", 5.0, "backoffFactor", 0.5));

        Api.Response response = api.post(RESOLVE, Api.json(body));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly(
                "name", "retryPolicy.backoffFactor", "retryPolicy.maxRetries", "uri", "uris", "uris[0]", "uris[1]");
        assertThat(messageFor(response, "uris[0]")).contains("user information");
        assertThat(messageFor(response, "uris")).contains("10");
        assertThat(messageFor(response, "uri")).isEqualTo("must use HTTPS (an https:// URI)");
        upstream().verify(0, postRequestedFor(urlPathEqualTo(GENESYS_CREATE)));
    }

    @Test
    void should_name_every_missing_member() {
        Api.Response response = api.post(RESOLVE, "{\"type\":\"webhook\",\"retryPolicy\":{\"maxRetries\":2.5}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly(
                "name", "retryPolicy.backoffFactor", "retryPolicy.maxRetries", "uri");
    }

    @Test
    void should_answer_400_to_a_body_that_is_not_json() {
        Api.Response response = api.post(RESOLVE, "{\"name\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("title").asText()).isEqualTo("Malformed JSON");
    }

    // ---------------------------------------------------------------- success and submission

    @Test
    void should_check_every_destination_then_create_the_integration() {
        stubGenesysCreated();
        String request = payload("healthy-hooks", trusted.url("/health"), trusted.url("/health?probe=2"));

        Api.Response response = api.post(RESOLVE, request);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode answer = response.json();
        assertThat(answer.path("integration").path("id").asText()).isEqualTo("integration-1");
        assertThat(answer.path("submitAttempts").asInt()).isEqualTo(1);
        assertThat(answer.path("destinations")).hasSize(2);
        JsonNode first = answer.path("destinations").get(0);
        assertThat(first.path("destination").asText()).isEqualTo(trusted.url("/health"));
        assertThat(first.path("connectedTo").asText()).isEqualTo("127.0.0.1");
        assertThat(first.path("tlsProtocol").asText()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(first.path("healthStatus").asInt()).isEqualTo(200);
        assertThat(first.path("certificateExpires").asText()).isNotBlank();
        upstream().verify(1, postRequestedFor(urlPathEqualTo(GENESYS_CREATE))
                .withRequestBody(equalToJson(request))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer test-token-genesys")));
    }

    @Test
    void should_wait_out_retry_after_when_genesys_throttles_then_answer_201() {
        upstream().stubFor(post(urlPathEqualTo(GENESYS_CREATE)).inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Rate limit exceeded\",\"status\":429}"))
                .willSetStateTo("throttled once"));
        upstream().stubFor(post(urlPathEqualTo(GENESYS_CREATE)).inScenario("throttled")
                .whenScenarioStateIs("throttled once")
                .willReturn(created("integration-2")));

        Api.Response response = api.post(RESOLVE, payload("throttled-once", trusted.url("/health")));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("integration").path("id").asText()).isEqualTo("integration-2");
        assertThat(response.json().path("submitAttempts").asInt()).isEqualTo(2);
        List<LoggedRequest> calls = upstream().findAll(postRequestedFor(urlPathEqualTo(GENESYS_CREATE)));
        assertThat(calls).hasSize(2);
        long waitedMs = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertThat(waitedMs).as("Retry-After: 1 is waited out").isGreaterThanOrEqualTo(990);
        assertThat(calls.get(1).getBodyAsString()).isEqualTo(calls.get(0).getBodyAsString());
    }

    @Test
    void should_answer_a_genesys_rejection_with_its_status_and_message() {
        upstream().stubFor(post(urlPathEqualTo(GENESYS_CREATE)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"eventFilters[0].eventType is unknown\",\"status\":400}")));

        Api.Response response = api.post(RESOLVE, payload("rejected", trusted.url("/health")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("detail").asText()).contains("eventFilters[0].eventType is unknown");
        upstream().verify(1, postRequestedFor(urlPathEqualTo(GENESYS_CREATE)));
    }

    @Test
    void should_answer_a_genesys_answer_that_is_not_json_as_a_502_naming_genesys_not_the_callers_body() {
        upstream().stubFor(post(urlPathEqualTo(GENESYS_CREATE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>maintenance</html>")));

        Api.Response response = api.post(RESOLVE, payload("unreadable", trusted.url("/health")));

        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("detail").asText())
                .startsWith("The platform answered something Switchboard could not read: Genesys Cloud answered 200");
        assertThat(response.json().path("platform").asText()).isEqualTo("Genesys Cloud");
        assertThat(response.json().path("upstreamStatus").asInt()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("maintenance", "(body)");
        upstream().verify(1, postRequestedFor(urlPathEqualTo(GENESYS_CREATE)));
    }

    // ---------------------------------------------------------------- failed checks

    static Stream<Arguments> tlsFailures() {
        return Stream.of(
                Arguments.of("self-signed and untrusted", (Supplier<String>) () -> selfSigned.url("/health"),
                        "certificate not trusted"),
                Arguments.of("expired", (Supplier<String>) () -> expired.url("/health"), "certificate expired"),
                Arguments.of("issued to another host", (Supplier<String>) () -> wrongHost.url("/health"),
                        "does not match the host name"),
                Arguments.of("served by a TLS 1.1-only server",
                        (Supplier<String>) () -> "https://127.0.0.1:" + tls11Only.port() + "/health", "TLS11"),
                Arguments.of("never presented (silent server)",
                        (Supplier<String>) () -> "https://127.0.0.1:" + silent.port() + "/health", "no TLS handshake"),
                Arguments.of("never presented (nothing listening)",
                        (Supplier<String>) () -> "https://127.0.0.1:" + closedPort() + "/health", "cannot connect"));
    }

    @ParameterizedTest(name = "certificate {0}")
    @MethodSource("tlsFailures")
    void should_answer_502_tls_when_the_certificate_cannot_be_trusted(String label, Supplier<String> uri, String reason) {
        stubGenesysCreated();
        String destination = uri.get();

        Api.Response response = api.post(RESOLVE, payload("tls-" + label, destination));

        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("check").asText()).isEqualTo("tls");
        assertThat(response.json().path("destination").asText()).isEqualTo(destination);
        assertThat(response.json().path("detail").asText()).contains(reason);
        upstream().verify(0, postRequestedFor(urlPathEqualTo(GENESYS_CREATE)));
    }

    static Stream<Arguments> healthFailures() {
        return Stream.of(
                Arguments.of("/unhealthy", "answered 503"),
                Arguments.of("/slow", "no answer to GET /slow within 2 s"),
                Arguments.of("/hang-up", "closed the connection without answering"));
    }

    @ParameterizedTest(name = "GET {0}: {1}")
    @MethodSource("healthFailures")
    void should_answer_502_health_when_the_destination_is_not_healthy(String path, String reason) {
        stubGenesysCreated();

        Api.Response response = api.post(RESOLVE, payload("unhealthy", trusted.url(path)));

        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.json().path("check").asText()).isEqualTo("health");
        assertThat(response.json().path("destination").asText()).isEqualTo(trusted.url(path));
        assertThat(response.json().path("detail").asText()).contains(reason);
        upstream().verify(0, postRequestedFor(urlPathEqualTo(GENESYS_CREATE)));
    }

    @Test
    void should_count_an_answer_below_500_as_healthy_and_never_follow_a_redirect() {
        stubGenesysCreated();
        int before = silent.connections.get();
        String redirecting = trusted.url("/redirect?to=https://127.0.0.1:" + silent.port() + "/elsewhere");

        Api.Response response = api.post(RESOLVE, payload("redirecting", redirecting, trusted.url("/not-found")));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("destinations").findValuesAsText("healthStatus")).containsExactly("302", "404");
        assertThat(silent.connections.get()).as("the redirect target was never contacted").isEqualTo(before);
    }

    @Test
    void should_answer_502_dns_when_a_destination_name_does_not_resolve() {
        stubGenesysCreated();
        String destination = "https://hooks.switchboard-test.invalid/health";

        Api.Response response = api.post(RESOLVE, payload("dns", trusted.url("/health"), destination));

        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.json().path("check").asText()).isEqualTo("dns");
        assertThat(response.json().path("destination").asText()).isEqualTo(destination);
        assertThat(response.json().path("detail").asText()).contains("hooks.switchboard-test.invalid");
        upstream().verify(0, postRequestedFor(urlPathEqualTo(GENESYS_CREATE)));
    }

    @Test
    void should_name_the_first_failure_in_request_order_and_list_every_failure() {
        stubGenesysCreated();
        String untrusted = selfSigned.url("/health");
        String unhealthy = trusted.url("/unhealthy");

        Api.Response response = api.post(RESOLVE, payload("mixed", trusted.url("/health"), untrusted, unhealthy));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().path("check").asText()).isEqualTo("tls");
        assertThat(response.json().path("destination").asText()).isEqualTo(untrusted);
        JsonNode failures = response.json().path("failures");
        assertThat(failures).hasSize(2);
        assertThat(failures.get(0).path("field").asText()).isEqualTo("uris[0]");
        assertThat(failures.get(1).path("destination").asText()).isEqualTo(unhealthy);
        assertThat(failures.get(1).path("check").asText()).isEqualTo("health");
    }

    // ---------------------------------------------------------------- audit and metrics

    @Test
    void should_audit_every_resolve_with_its_outcome_and_no_secret() {
        stubGenesysCreated();
        Map<String, Object> withSecret = new LinkedHashMap<>(payloadMap("audited", trusted.url("/health")));
        withSecret.put("headers", Map.of("Authorization", "Bearer hook-secret-5150", "X-Genesys-Source", "event-resolver"));

        api.post(RESOLVE, "{\"name\":\"audited\"}");
        api.post(RESOLVE, payload("audited", trusted.url("/unhealthy?token=query-secret-1234")));
        Api.Response created = api.post(RESOLVE, Api.json(withSecret));
        assertThat(created.status()).isEqualTo(201);

        JsonNode items = api.get("/api/audit?workflow=genesys-integrations&limit=3").json().path("items");
        assertThat(items).hasSize(3);
        assertThat(items.findValuesAsText("action")).containsOnly("integration.resolve");
        assertThat(items.findValuesAsText("outcome")).containsExactly("success", "failure", "failure");
        assertThat(items.findValuesAsText("httpStatus")).containsExactly("201", "502", "400");
        assertThat(items.findValuesAsText("operator")).containsOnly("tester");
        assertThat(items.get(0).path("targetId").asText()).isEqualTo("integration-1");
        assertThat(items.get(0).path("latencyMs").isNumber()).isTrue();
        assertThat(items.get(0).path("payload").path("request").path("headers").path("Authorization").asText())
                .isEqualTo("***");
        assertThat(items.get(0).path("payload").path("destinations").get(0).path("healthStatus").asInt()).isEqualTo(200);
        assertThat(items.get(1).path("payload").path("problem").path("check").asText()).isEqualTo("health");
        assertThat(items.get(1).path("error").asText()).contains("answered 503");
        assertThat(items.toString()).doesNotContain("hook-secret-5150").doesNotContain("query-secret-1234");
    }

    @Test
    void should_report_exact_metrics_after_successes_and_failures_and_publish_them_to_prometheus() {
        stubGenesysCreated();
        JsonNode before = api.get(METRICS).json();

        assertThat(api.post(RESOLVE, payload("m1", trusted.url("/health"))).status()).isEqualTo(201);
        assertThat(api.post(RESOLVE, payload("m2", expired.url("/health"))).status()).isEqualTo(502);
        assertThat(api.post(RESOLVE, payload("m3", trusted.url("/health?n=3"))).status()).isEqualTo(201);
        assertThat(api.post(RESOLVE, payload("m4", "https://nowhere.switchboard-test.invalid/")).status()).isEqualTo(502);
        assertThat(api.post(RESOLVE, payload("m5", trusted.url("/health?n=5"))).status()).isEqualTo(201);
        assertThat(api.post(RESOLVE, "{\"name\":\"not a resolve\"}").status()).isEqualTo(400);

        JsonNode after = api.get(METRICS).json();
        long total = before.path("totalResolves").asLong() + 5;
        long successful = before.path("successfulResolves").asLong() + 3;
        assertThat(after.path("totalResolves").asLong()).isEqualTo(total);
        assertThat(after.path("successfulResolves").asLong()).isEqualTo(successful);
        assertThat(after.path("reachabilityRate").asDouble()).isEqualTo((double) successful / total);
        long newLatency = 0;
        for (JsonNode item : api.get("/api/audit?workflow=genesys-integrations&limit=6").json().path("items")) {
            if (item.path("httpStatus").asInt() != 400) {
                newLatency += item.path("latencyMs").asLong();
            }
        }
        double expectedAverage = (before.path("avgLatencyMs").asDouble() * before.path("totalResolves").asLong()
                + newLatency) / total;
        assertThat(after.path("avgLatencyMs").asDouble()).isCloseTo(expectedAverage, within(1e-6));

        String prometheus = api.send("GET", "/actuator/prometheus", null, Map.of()).body();
        assertThat(scrape(prometheus, "switchboard_genesys_integrations_resolves_total")).isEqualTo(total);
        assertThat(scrape(prometheus, "switchboard_genesys_integrations_resolves_successful_total")).isEqualTo(successful);
        assertThat(scrape(prometheus, "switchboard_genesys_integrations_reachability_rate"))
                .isCloseTo(after.path("reachabilityRate").asDouble(), within(1e-9));
        assertThat(scrape(prometheus, "switchboard_genesys_integrations_latency_average_seconds"))
                .isCloseTo(after.path("avgLatencyMs").asDouble() / 1000, within(1e-9));
        assertThat(scrape(prometheus, "switchboard_genesys_integrations_check_failures_total", "check=\"tls\""))
                .isGreaterThanOrEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private static String payload(String name, String uri, String... uris) {
        return Api.json(payloadMap(name, uri, uris));
    }

    private static Map<String, Object> payloadMap(String name, String uri, String... uris) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", "webhook");
        body.put("uri", uri);
        if (uris.length > 0) {
            body.put("uris", List.of(uris));
        }
        body.put("retryPolicy", Map.of("maxRetries", 3, "retryInterval", 5.0, "backoffFactor", 2.0));
        body.put("eventFilters", List.of(Map.of("eventType", "v2.routing.queues.{id}.conversations")));
        return body;
    }

    private static void stubGenesysCreated() {
        upstream().stubFor(post(urlPathEqualTo(GENESYS_CREATE)).willReturn(created("integration-1")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created(String id) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + id + "\",\"status\":\"active\",\"selfUri\":\"/api/v2/outbound/integrations/" + id + "\"}");
    }

    private static String messageFor(Api.Response response, String field) {
        for (JsonNode error : response.json().path("errors")) {
            if (error.path("field").asText().equals(field)) {
                return error.path("message").asText();
            }
        }
        return null;
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static double scrape(String prometheus, String metric, String... labels) {
        Pattern line = Pattern.compile("^" + metric + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(prometheus);
        while (matcher.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= matcher.group(1).contains(label);
            }
            if (all) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError(metric + " not found in the Prometheus scrape");
    }
}
