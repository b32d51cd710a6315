package io.switchboard.platform.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import io.switchboard.platform.upstream.UpstreamGateway;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.sql.SQLException;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Every 5xx that leaves the HTTP API is {@code application/problem+json} with {@code status}, {@code title} and
 * {@code detail}, and carries no stack trace, exception class or secret: a platform that fails (500 after the
 * retries, a connection reset, a token endpoint answering something that is not JSON) or keeps answering 503, a
 * fault of Switchboard in a workflow step, a database that cannot be reached, a failure that escapes a route's
 * error handling, and Spring's own error page.
 * (Actuator is not part of the API: in profile live it has its own port; its health answers 503 with its own JSON.)
 */
class ServerErrorsAsProblemsTest extends IntegrationTestBase {

    static final String CXONE_CREATE = "/cxone/api/v2/data-actions";
    static final String SECRET_MESSAGE = "password=hunter2 at jdbc:h2:tcp://db.internal/prod";

    @Autowired
    UpstreamGateway gateway;

    /** Stand-in workflow steps that fail the way real ones can: an unexpected bug, a database that is down. */
    @BeforeEach
    void faultyEndpoints() throws Exception {
        if (camel.getRoute("test-fault-bug") != null) {
            return;
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/api/test-fault")
                        .get("/bug").to("direct:test-fault-bug")
                        .get("/database").to("direct:test-fault-database")
                        .get("/unhandled").to("direct:test-fault-unhandled");
                from("direct:test-fault-bug").routeId("test-fault-bug")
                        .routeConfigurationId(ApiRouteConfiguration.ID)
                        .process(exchange -> {
                            throw new IllegalStateException("bug: " + SECRET_MESSAGE);
                        });
                from("direct:test-fault-database").routeId("test-fault-database")
                        .routeConfigurationId(ApiRouteConfiguration.ID)
                        .process(exchange -> {
                            // what Spring's JdbcClient throws when Hikari gets no connection
                            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                                    new SQLException("Connection refused: " + SECRET_MESSAGE, "08001",
                                            new java.net.ConnectException("Connection refused")));
                        });
                // a step wired to the REST endpoint without the API error handling (a sub-route reached directly,
                // or the error handling failing itself): the failure reaches the HTTP layer unanswered
                from("direct:test-fault-unhandled").routeId("test-fault-unhandled")
                        .errorHandler(noErrorHandler())
                        .process(exchange -> {
                            throw new IllegalStateException("unanswered: " + SECRET_MESSAGE);
                        });
            }
        });
    }

    private Api.Response createDataAction() {
        return api.send("POST", "/api/data-actions", """
                        {"name":"FetchExternalInventory","type":"REST",
                         "configuration":{"method":"GET","url":"https://inventory.example.com/api/v2/stock"}}""",
                Map.of("X-API-Key", Api.KEY, "Content-Type", "application/json"));
    }

    /** problem+json with the status, a title and a detail; nothing of the stack, the exception or a secret. */
    private static JsonNode assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.body()).startsWith(Problems.MEDIA_TYPE);
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(response.body())
                .doesNotContain("hunter2", "db.internal", "cxone-canary-secret-3141", "test-token-cxone", Api.KEY)
                .doesNotContain("Exception", "\tat ", "at io.switchboard", "at org.apache");
        return problem;
    }

    @Test
    void should_answer_a_platform_failing_with_500_as_a_502_problem() {
        upstream().stubFor(post(urlPathEqualTo(CXONE_CREATE)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"internal\"}")));
        JsonNode problem = assertProblem(createDataAction(), 502);
        assertThat(problem.path("upstreamStatus").asInt()).isEqualTo(500);
    }

    @Test
    void should_answer_a_connection_reset_by_the_platform_as_a_502_problem() {
        upstream().stubFor(post(urlPathEqualTo(CXONE_CREATE))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        JsonNode problem = assertProblem(createDataAction(), 502);
        assertThat(problem.path("title").asText()).isEqualTo("Bad Gateway");
    }

    @Test
    void should_answer_a_token_endpoint_answering_malformed_json_as_a_502_problem_not_a_400() {
        gateway.platform("cxone").tokens().reject("test-token-cxone");
        upstream().stubFor(post(urlPathEqualTo("/cxone/oauth/token")).atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>maintenance</html>")));
        JsonNode problem = assertProblem(createDataAction(), 502);
        assertThat(problem.path("detail").asText()).contains("token endpoint answered malformed JSON");
    }

    @Test
    void should_answer_a_platform_that_stays_unavailable_as_a_503_problem() {
        upstream().stubFor(post(urlPathEqualTo(CXONE_CREATE)).willReturn(aResponse().withStatus(503)));
        JsonNode problem = assertProblem(createDataAction(), 503);
        assertThat(problem.path("upstreamStatus").asInt()).isEqualTo(503);
    }

    @Test
    void should_answer_an_unexpected_failure_of_a_step_as_a_500_problem_with_a_reference() {
        JsonNode problem = assertProblem(api.get("/api/test-fault/bug"), 500);
        assertThat(problem.path("reference").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).contains(problem.path("reference").asText());
    }

    @Test
    void should_answer_a_database_that_cannot_be_reached_as_a_503_problem() {
        JsonNode problem = assertProblem(api.get("/api/test-fault/database"), 503);
        assertThat(problem.path("title").asText()).isEqualTo("Service Unavailable");
        assertThat(problem.path("reference").asText()).isNotBlank();
    }

    @Test
    void should_answer_a_failure_that_escapes_the_route_error_handling_as_a_500_problem() {
        assertProblem(api.get("/api/test-fault/unhandled"), 500);
    }

    @Test
    void should_answer_spring_error_page_as_a_500_problem() {
        assertProblem(api.send("GET", "/error", null, Map.of()), 500);
    }
}
