package io.switchboard.platform.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A platform's 403 is answered as problem+json naming the missing scope or permission, and never retried. */
class PlatformForbiddenTest extends IntegrationTestBase {

    static final String SUBSCRIPTION = """
            {"name": "forbidden-%s", "eventTypes": ["Routing.StateChanged"], "eventBusName": "b", "awsAccountId": "123456789012",
             "awsRegion": "us-east-1", "ruleName": "forbidden-%s", "targetArn": "arn:aws:sqs:us-east-1:123456789012:q" %s}""";

    @Test
    void should_name_the_scope_cxone_reports_missing_and_not_retry() {
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/platform/eventbridgeconnections")).willReturn(aResponse()
                .withStatus(403).withHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"eventbridge:write\"")
                .withHeader("Content-Type", "application/json").withBody("{\"error\": \"insufficient_scope\"}")));

        Api.Response response = api.post("/api/events/subscriptions", SUBSCRIPTION.formatted("cx", "cx", ""));

        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("title").asText()).isEqualTo("Missing platform permission");
        assertThat(response.json().path("missingPermission").asText()).isEqualTo("scope eventbridge:write");
        assertThat(response.json().path("upstreamStatus").asInt()).isEqualTo(403);
        assertThat(response.json().path("detail").asText()).contains("eventbridge:write").contains("not retried");
        upstream().verify(1, postRequestedFor(urlPathEqualTo("/cxone/api/v2/platform/eventbridgeconnections")));
    }

    @Test
    void should_name_the_permission_genesys_cloud_reports_missing() {
        upstream().stubFor(post(urlPathEqualTo("/genesys/api/v2/integrations")).willReturn(aResponse()
                .withStatus(403).withHeader("Content-Type", "application/json").withBody("""
                        {"message": "You are missing the following permission(s): [integrations:integration:add]",
                         "code": "missing.permissions", "status": 403}""")));

        Api.Response response = api.post("/api/events/subscriptions", """
                {"platform": "genesys", "name": "forbidden-gc", "awsAccountId": "123456789012", "awsRegion": "us-east-1",
                 "ruleName": "forbidden-gc", "topicFilters": ["v2.users.{id}.presence"],
                 "targetArn": "arn:aws:sqs:us-east-1:123456789012:q"}""");

        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.json().path("missingPermission").asText()).isEqualTo("permission integrations:integration:add");
        upstream().verify(1, postRequestedFor(urlPathEqualTo("/genesys/api/v2/integrations")));
    }

    @Test
    void should_read_the_missing_scope_from_the_usual_places() {
        assertThat(MissingPermission.describe("{\"error\":\"insufficient_scope\",\"scope\":\"email:write\"}", Map.of()))
                .isEqualTo("scope email:write");
        assertThat(MissingPermission.describe("{\"message\":\"token lacks required scope: data-actions:write\"}", Map.of()))
                .isEqualTo("scope data-actions:write");
        assertThat(MissingPermission.describe("{\"message\":\"forbidden\"}", Map.of())).isNull();
    }
}
