package io.switchboard.platform.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.upstream.UpstreamGateway;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Every 5xx that leaves the HTTP API is {@code application/problem+json} with {@code status}, {@code title} and
 * {@code detail}, and carries no stack trace, exception class or secret: a platform that fails (500 after the
 * retries, a connection reset, a token endpoint or a workflow's call answering something that is not JSON) or keeps
 * answering 503, a fault of Switchboard in a workflow step, a database that cannot be reached, a failure that escapes
 * a route's error handling, and Spring's own error page. A platform's unreadable answer is never taken for the
 * caller's malformed body, which keeps its 400.
 * (Actuator is not part of the API: in profile live it has its own port; its health answers 503 with its own JSON.)
 */
class ServerErrorsAsProblemsTest extends IntegrationTestBase {

    static final String CXONE_CREATE = "/cxone/api/v2/data-actions";
    static final String SECRET_MESSAGE = "password=hunter2 at jdbc:h2:tcp://db.internal/prod";

    static final String MAINTENANCE_PAGE = "<html>maintenance</html>";

    @Autowired
    UpstreamGateway gateway;

    @Autowired
    AuditLog audit;

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

    // ------------------------------------------------------------------ answers Switchboard cannot read

    /** A 502 naming the platform and the status it answered, with nothing of the body it sent. */
    private static JsonNode assertUnreadable(Api.Response response, String platform, int upstreamStatus) {
        JsonNode problem = assertProblem(response, 502);
        assertThat(problem.path("title").asText()).isEqualTo("Bad Gateway");
        assertThat(problem.path("detail").asText())
                .startsWith("The platform answered something Switchboard could not read: ")
                .contains(platform + " answered " + upstreamStatus);
        assertThat(problem.path("platform").asText()).isEqualTo(platform);
        assertThat(problem.path("upstreamStatus").asInt()).isEqualTo(upstreamStatus);
        assertThat(problem.has("errors")).as("no field of the caller is blamed").isFalse();
        assertThat(response.body()).doesNotContain("maintenance", "<html", "Malformed JSON", "(body)");
        return problem;
    }

    private AuditEntry latestAudit(String workflow, String action) {
        List<AuditEntry> entries = audit.find(workflow, action, null, 1);
        assertThat(entries).as("audit of %s %s", workflow, action).isNotEmpty();
        return entries.get(0);
    }

    private static void answersMaintenancePage(String path) {
        upstream().stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody(MAINTENANCE_PAGE)));
    }

    @Test
    void should_answer_a_data_action_create_answered_with_an_html_page_as_a_502_and_audit_it_as_the_platforms() {
        answersMaintenancePage(CXONE_CREATE);

        JsonNode problem = assertUnreadable(createDataAction(), "CXone", 200);

        assertThat(problem.path("detail").asText()).contains("the data action create", "not JSON", "text/html");
        AuditEntry entry = latestAudit("data-actions", "data-action.create");
        assertThat(entry.outcome()).isEqualTo(AuditEntry.FAILURE);
        assertThat(entry.httpStatus()).isEqualTo(502);
        assertThat(entry.payload().path("upstreamStatus").asInt()).isEqualTo(200);
        assertThat(entry.payload().path("upstreamAttempts").asInt()).isEqualTo(1);
        assertThat(entry.error()).contains("could not read").doesNotContain("maintenance");
    }

    @Test
    void should_answer_a_data_action_create_answered_with_an_empty_body_as_a_502() {
        upstream().stubFor(post(urlPathEqualTo(CXONE_CREATE)).willReturn(aResponse().withStatus(201)));

        JsonNode problem = assertUnreadable(createDataAction(), "CXone", 201);

        assertThat(problem.path("detail").asText()).contains("an empty body where JSON was expected");
    }

    @Test
    void should_answer_an_event_subscription_whose_connection_answer_is_an_html_page_as_a_502_not_a_400() {
        answersMaintenancePage("/cxone/api/v2/platform/eventbridgeconnections");

        Api.Response response = api.post("/api/events/subscriptions", """
                {"name": "unreadable-sub", "eventTypes": ["Routing.StateChanged"],
                 "eventBusName": "cxone-bus", "awsAccountId": "123456789012", "awsRegion": "us-east-1",
                 "ruleName": "unreadable", "targetArn": "arn:aws:sqs:us-east-1:123456789012:switchboard-events"}""");

        JsonNode problem = assertUnreadable(response, "CXone", 200);
        assertThat(problem.path("step").asText()).isEqualTo("connection");
        AuditEntry entry = latestAudit("events", "subscription.connection");
        assertThat(entry.outcome()).isEqualTo(AuditEntry.FAILURE);
        assertThat(entry.httpStatus()).isEqualTo(200);
        assertThat(entry.error()).contains("not JSON").doesNotContain("maintenance");
    }

    @Test
    void should_answer_a_routing_rule_create_answered_with_cut_short_json_as_a_502() {
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/routing/interactionroutingrules")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\":\"rule-cut")));

        Api.Response response = api.post("/api/routing/rules", """
                {"name":"Unreadable","priority":10,"enabled":true,"interactionType":"voice",
                 "conditions":[{"field":"customerSegment","operator":"equals","value":"vip"}],
                 "targets":[{"type":"queue","id":"queue-1","weight":100}]}""");

        JsonNode problem = assertUnreadable(response, "CXone", 201);
        assertThat(problem.path("detail").asText()).contains("the routing rule create").doesNotContain("rule-cut");
        AuditEntry entry = latestAudit("routing-rules", "rule.create");
        assertThat(entry.httpStatus()).isEqualTo(502);
    }

    @Test
    void should_answer_an_email_channel_create_answered_with_an_html_page_as_a_502() {
        answersMaintenancePage("/cxone/api/v1/email/channels");

        Api.Response response = api.post("/api/email/channels", """
                {"name":"unreadable-relay","type":"smtp","smtpSettings":{"server":"smtp.relay.example.com","port":587,
                 "username":"api-user","password":"relay-secret-9","tlsEnabled":true,"authMechanism":"LOGIN",
                 "timeoutMs":15000},"isDefault":false,"maxRetryCount":3}""");

        assertUnreadable(response, "CXone", 200);
        assertThat(response.body()).doesNotContain("relay-secret-9");
        upstream().verify(0, postRequestedFor(urlPathMatching("/cxone/api/v1/email/channels/.*/test")));
    }

    @Test
    void should_still_answer_a_callers_malformed_body_with_400_naming_the_body() {
        upstream().stubFor(post(urlPathEqualTo(CXONE_CREATE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody(MAINTENANCE_PAGE)));

        Api.Response response = api.send("POST", "/api/data-actions", "{\"name\": ",
                Map.of("X-API-Key", Api.KEY, "Content-Type", "application/json"));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith(Problems.MEDIA_TYPE);
        assertThat(response.json().path("title").asText()).isEqualTo("Malformed JSON");
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("(body)");
        upstream().verify(0, postRequestedFor(urlPathEqualTo(CXONE_CREATE)));
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
