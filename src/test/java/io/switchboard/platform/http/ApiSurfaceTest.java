package io.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The HTTP surface every workflow shares: authentication, problem+json for every error, open endpoints. */
class ApiSurfaceTest extends IntegrationTestBase {

    @Autowired
    AuditLog audit;

    /** A stand-in workflow endpoint: validates its body against a JSON Schema, answers it back. */
    @BeforeEach
    void echoEndpoint() throws Exception {
        if (camel.getRoute("test-echo") != null) {
            return;
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/api/test-echo").post().to("direct:test-echo");
                from("direct:test-echo").routeId("test-echo")
                        .routeConfigurationId(ApiRouteConfiguration.ID)
                        .to("json-validator:file:src/test/resources/schemas/test-echo.json")
                        .bean(JsonResponses.class, "ok");
            }
        });
    }

    @Test
    void should_refuse_api_calls_without_a_valid_key_as_problem_json() {
        for (Map<String, String> headers : new Map[] {Map.of(), Map.of("X-API-Key", "wrong"),
                Map.of("Authorization", "Bearer wrong"), Map.of("Authorization", "Basic dGVzdA==")}) {
            Api.Response response = api.send("GET", "/api/audit", null, headers);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().path("status").asInt()).isEqualTo(401);
            assertThat(response.json().path("title").asText()).isEqualTo("Unauthorized");
        }
    }

    @Test
    void should_accept_the_key_as_x_api_key_or_bearer_and_name_the_operator() {
        assertThat(api.send("GET", "/api/audit", null, Map.of("X-API-Key", Api.KEY)).status()).isEqualTo(200);
        assertThat(api.send("GET", "/api/audit", null, Map.of("Authorization", "Bearer test-key-0002")).status())
                .isEqualTo(200);
    }

    @Test
    void should_answer_malformed_json_with_400_problem() {
        Api.Response response = api.post("/api/test-echo", "{\"name\": \"x\", ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("title").asText()).isEqualTo("Malformed JSON");
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("(body)");
    }

    @Test
    void should_name_every_invalid_field() {
        Api.Response response = api.post("/api/test-echo", "{\"port\": 2}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("name", "port");
    }

    @Test
    void should_pass_a_valid_body() {
        Api.Response response = api.post("/api/test-echo", "{\"name\": \"relay\", \"port\": 587}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("port").asInt()).isEqualTo(587);
        assertThat(response.header("X-Correlation-ID")).isNotBlank();
    }

    @Test
    void should_refuse_bodies_over_one_megabyte_with_413() {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\",\"port\":25}";
        Api.Response response = api.post("/api/test-echo", big);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void should_refuse_non_json_bodies_with_415() {
        Api.Response response = api.send("POST", "/api/test-echo", "name=x",
                Map.of("X-API-Key", Api.KEY, "Content-Type", "application/x-www-form-urlencoded"));
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void should_answer_unknown_paths_and_wrong_methods_as_problem_json() {
        Api.Response notFound = api.get("/api/no-such-thing");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("Content-Type")).startsWith("application/problem+json");
        Api.Response wrongMethod = api.delete("/api/audit");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void should_serve_openapi_health_and_metrics_without_a_key() {
        Api.Response openapi = api.send("GET", "/api/openapi.json", null, Map.of());
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.json().path("paths").has("/api/audit")).isTrue();
        assertThat(openapi.json().path("paths").has("/api/dead-letters")).isTrue();
        // health is DOWN until every SQS consumer has polled once (NOTES.md), a few seconds after start-up
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.send("GET", "/actuator/health", null, Map.of()).status() == 200);
        Api.Response prometheus = api.send("GET", "/actuator/prometheus", null, Map.of());
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("switchboard_upstream_budget_available");
    }

    @Test
    void should_list_audit_items_newest_first_and_validate_the_query() {
        audit.record(AuditRecord.of("email", "channel.create").target("older").operator("tester").success(201));
        audit.record(AuditRecord.of("email", "channel.create").target("newer").operator("tester").success(201));
        Api.Response response = api.get("/api/audit?workflow=email&limit=2");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("items").findValuesAsText("targetId")).containsExactly("newer", "older");

        Api.Response invalid = api.get("/api/audit?limit=0&before=yesterday&workflow=nope");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("limit", "before", "workflow");
    }
}
