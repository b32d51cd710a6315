package io.switchboard.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.SwitchboardApplication;
import io.switchboard.test.Api;
import io.switchboard.test.TestUpstreams;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The running success count and total of routing rule changes survive a restart: Switchboard is
 * started on a database file, changes rules, is shut down, and started again on the same file.
 */
class RoutingCountersRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void should_keep_the_success_count_and_total_across_a_restart() {
        TestUpstreams.reset();
        TestUpstreams.server().stubFor(post(urlPathEqualTo("/cxone/api/v2/routing/interactionroutingrules"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"rule-restart\"}")));

        try (ConfigurableApplicationContext first = start()) {
            Api api = api(first);
            assertThat(api.post("/api/routing/rules", RoutingRulesTest.rule("Before restart 1").toString()).status())
                    .isEqualTo(201);
            assertThat(api.post("/api/routing/rules", RoutingRulesTest.rule(null).toString()).status()).isEqualTo(400);
            assertThat(api.post("/api/routing/rules", RoutingRulesTest.rule("Before restart 2").toString()).status())
                    .isEqualTo(201);
            assertThat(counts(latestRuleCreate(api))).containsExactly(2L, 3L);
        }

        try (ConfigurableApplicationContext second = start()) {
            assertThat(second.getBean(RoutingCounters.class).current()).isEqualTo(new RoutingCounters.Totals(2, 3));
            Api api = api(second);
            assertThat(api.post("/api/routing/rules", RoutingRulesTest.rule("After restart").toString()).status())
                    .isEqualTo(201);
            assertThat(counts(latestRuleCreate(api))).containsExactly(3L, 4L);
            String prometheus = api.send("GET", "/actuator/prometheus", null, Map.of()).body();
            assertThat(prometheus).contains("switchboard_routing_rules_changes_total{application=\"switchboard\"} 4.0")
                    .contains("switchboard_routing_rules_changes_successful_total{application=\"switchboard\"} 3.0");
        }
    }

    private ConfigurableApplicationContext start() {
        String upstream = TestUpstreams.baseUrl();
        // command-line arguments: they override config/application.yaml, as the test needs
        return new SpringApplicationBuilder(SwitchboardApplication.class).run(Stream.of(
                Map.entry("server.port", "0"),
                Map.entry("spring.datasource.url", "jdbc:h2:file:" + dataDir.resolve("switchboard").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"),
                Map.entry("switchboard.api-keys", "tester:" + Api.KEY),
                Map.entry("switchboard.sandbox.sqs-port", "0"),
                Map.entry("switchboard.sandbox.simulate-upstreams", "false"),
                Map.entry("camel.springboot.main-run-controller", "false"),
                Map.entry("email.reports.poll-period", "PT1H"),
                Map.entry("email.retry.wait-time-seconds", "1"), // each restart stops within about a second
                Map.entry("cxone.base-url", upstream + "/cxone"),
                Map.entry("cxone.token-url", upstream + "/cxone/oauth/token"),
                Map.entry("cxone.client-id", "test-cxone"),
                Map.entry("cxone.client-secret", "cxone-canary-secret-3141"),
                Map.entry("genesys.base-url", upstream + "/genesys"),
                Map.entry("genesys.token-url", upstream + "/genesys/oauth/token"),
                Map.entry("genesys.client-id", "test-genesys"),
                Map.entry("genesys.client-secret", "genesys-canary-secret-2718"),
                Map.entry("aws.eventbridge-endpoint", upstream + "/aws/eventbridge"))
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new));
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((ServletWebServerApplicationContext) context).getWebServer().getPort());
    }

    private static JsonNode latestRuleCreate(Api api) {
        return api.get("/api/audit?workflow=routing-rules&action=rule.create&limit=1").json().path("items").get(0);
    }

    private static java.util.List<Long> counts(JsonNode item) {
        return java.util.List.of(item.path("payload").path("successCount").asLong(),
                item.path("payload").path("totalCount").asLong());
    }
}
