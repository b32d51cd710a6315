package io.switchboard.genesys;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard with no {@code resolver.allowed-networks} (Switchboard's default): every way of naming
 * this machine, a private network or a metadata service is refused with 400 before any connection. A
 * plain listener on 127.0.0.1 counts connections; it must count none.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GenesysIntegrationsSsrfGuardTest extends IntegrationTestBase {

    private static final String RESOLVE = "/api/genesys/integrations/resolve";

    private static TestListeners.Listener loopback;

    @BeforeAll
    static void listenOnLoopback() {
        loopback = TestListeners.silent();
    }

    @AfterAll
    static void stopListening() {
        loopback.close();
    }

    @Test
    @Order(1)
    void should_report_zeros_not_nan_before_the_first_resolve() {
        Api.Response metrics = api.get("/api/genesys/integrations/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).doesNotContain("NaN");
        JsonNode body = metrics.json();
        assertThat(body.path("reachabilityRate").isNumber()).isTrue();
        assertThat(body.path("reachabilityRate").asDouble()).isZero();
        assertThat(body.path("totalResolves").asLong()).isZero();
        assertThat(body.path("successfulResolves").asLong()).isZero();
        assertThat(body.path("avgLatencyMs").asDouble()).isZero();
        String prometheus = api.send("GET", "/actuator/prometheus", null, Map.of()).body();
        assertThat(GenesysIntegrationsResolveTest.scrape(prometheus, "switchboard_genesys_integrations_resolves_total")).isZero();
        assertThat(GenesysIntegrationsResolveTest.scrape(prometheus, "switchboard_genesys_integrations_reachability_rate")).isZero();
        assertThat(GenesysIntegrationsResolveTest.scrape(prometheus,
                "switchboard_genesys_integrations_latency_average_seconds")).isZero();
    }

    @Test
    @Order(1)
    void should_describe_both_endpoints_in_the_openapi_document() {
        JsonNode paths = api.send("GET", "/api/openapi.json", null, Map.of()).json().path("paths");

        assertThat(paths.has("/api/genesys/integrations/resolve")).isTrue();
        assertThat(paths.has("/api/genesys/integrations/metrics")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @Order(2)
    @ValueSource(strings = {
            "https://127.0.0.1:{port}/health",
            "https://localhost:{port}/health",
            "https://LocalHost.:{port}/health",
            "https://api.localhost:{port}/health",
            "https://2130706433:{port}/health",
            "https://0x7f000001:{port}/health",
            "https://0177.0.0.1:{port}/health",
            "https://0177.0000.0000.0001:{port}/health",
            "https://127.1:{port}/health",
            "https://127.0.1:{port}/health",
            "https://127.0.0.1.:{port}/health",
            "https://0:{port}/health",
            "https://0.0.0.0:{port}/health",
            "https://[::1]:{port}/health",
            "https://[::]:{port}/health",
            "https://[::ffff:127.0.0.1]:{port}/health",
            "https://[::ffff:7f00:1]:{port}/health",
            "https://[0:0:0:0:0:ffff:127.0.0.1]:{port}/health",
            "https://[::127.0.0.1]:{port}/health",
            "https://[2002:7f00:1::]:{port}/health"})
    void should_refuse_this_machine_in_every_spelling_without_connecting(String template) {
        String destination = template.replace("{port}", Integer.toString(loopback.port()));

        Api.Response response = api.post(RESOLVE, payload(destination));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("check").asText()).isEqualTo("ssrf");
        assertThat(response.json().path("destination").asText()).isEqualTo(destination);
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("uri");
        assertThat(loopback.connections).as("connections that reached the loopback listener").hasValue(0);
        upstream().verify(0, postRequestedFor(urlPathEqualTo("/genesys/api/v2/outbound/integrations")));
    }

    @ParameterizedTest(name = "{0}")
    @Order(3)
    @ValueSource(strings = {
            "https://user@127.0.0.1:{port}/health",
            "https://hooks.example.com@127.0.0.1:{port}/health",
            "https://hooks.example.com:443@localhost:{port}/health",
            "https://127.0.0.1%2f@hooks.example.com/health",
            "https://hooks.example.com%40127.0.0.1:{port}/health"})
    void should_refuse_user_information_tricks_without_connecting(String template) {
        String destination = template.replace("{port}", Integer.toString(loopback.port()));

        Api.Response response = api.post(RESOLVE, payload(destination));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("uri");
        assertThat(loopback.connections).hasValue(0);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @Order(4)
    @CsvSource(delimiter = '|', value = {
            "https://10.0.0.1/health|private (RFC 1918)",
            "https://172.16.5.4/health|private (RFC 1918)",
            "https://192.168.1.1/health|private (RFC 1918)",
            "https://3232235777/health|private (RFC 1918)",
            "https://169.254.169.254/latest/meta-data/|cloud metadata",
            "https://0xa9fea9fe/latest/meta-data/|cloud metadata",
            "https://169.254.1.1/health|link-local",
            "https://100.64.0.1/health|CGNAT",
            "https://224.0.0.1/health|multicast",
            "https://[fd00:ec2::254]/latest/meta-data/|cloud metadata",
            "https://[fd12:3456::1]/health|unique local",
            "https://[fe80::1]/health|link-local",
            "https://[ff02::1]/health|multicast",
            "https://metadata.google.internal/computeMetadata/v1/|metadata service"})
    void should_refuse_private_link_local_and_metadata_destinations(String destination, String reason) {
        Api.Response response = api.post(RESOLVE, payload(destination));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("check").asText()).isEqualTo("ssrf");
        assertThat(response.json().path("detail").asText()).contains(reason);
    }

    @Test
    @Order(5)
    void should_refuse_the_whole_request_when_one_destination_of_many_is_refused() {
        String refused = "https://127.1:" + loopback.port() + "/health";
        Map<String, Object> body = new LinkedHashMap<>(payloadMap("https://[::1]:" + loopback.port() + "/"));
        body.put("uris", List.of("https://hooks.switchboard-test.invalid/", refused, "https://10.1.2.3/"));

        Api.Response response = api.post(RESOLVE, Api.json(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("uri", "uris[1]", "uris[2]");
        assertThat(loopback.connections).hasValue(0);
        JsonNode audit = api.get("/api/audit?workflow=genesys-integrations&limit=1").json().path("items").get(0);
        assertThat(audit.path("outcome").asText()).isEqualTo("failure");
        assertThat(audit.path("httpStatus").asInt()).isEqualTo(400);
        assertThat(audit.path("payload").path("problem").path("check").asText()).isEqualTo("ssrf");
    }

    private static String payload(String uri) {
        return Api.json(payloadMap(uri));
    }

    private static Map<String, Object> payloadMap(String uri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "ssrf-probe");
        body.put("type", "webhook");
        body.put("uri", uri);
        body.put("retryPolicy", Map.of("maxRetries", 1, "backoffFactor", 1.5));
        return body;
    }
}
