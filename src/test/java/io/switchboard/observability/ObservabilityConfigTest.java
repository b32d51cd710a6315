package io.switchboard.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.test.IntegrationTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.yaml.snakeyaml.Yaml;

/**
 * config/observability/: every metric the Grafana dashboard and the Prometheus alert rules name is exported by a
 * running Switchboard at /actuator/prometheus, and the metrics follow Prometheus' conventions (counters as
 * counters, timestamps in seconds, histograms rather than per-instance quantiles).
 */
class ObservabilityConfigTest extends IntegrationTestBase {

    static final Path DASHBOARD = Path.of("config/observability/grafana-dashboard.json");
    static final Path RULES = Path.of("config/observability/prometheus-rules.yml");
    static final Pattern METRIC = Pattern.compile("\\b(switchboard_[a-z0-9_]+|http_server_requests_[a-z0-9_]+)\\b");

    /**
     * EXPECTED AFTER MERGE: the events pipeline's gauges and counter agreed for the console and the dashboard, which
     * the events pipeline being rewritten in parallel exports. Until then they are missing here; nothing else may be.
     */
    static final Set<String> EXPECTED_AFTER_MERGE = Set.of(
            "switchboard_events_pending",
            "switchboard_events_pending_oldest_age_seconds",
            "switchboard_events_order_waited_total");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    DeadLetters deadLetters;

    @Test
    void should_export_every_metric_the_dashboard_and_the_rules_name() throws IOException {
        Set<String> named = new TreeSet<>();
        named.addAll(metricsIn(dashboardQueries()));
        named.addAll(metricsIn(ruleQueries()));
        assertThat(named).contains("switchboard_events_delivered_total", "switchboard_dead_letters_total",
                "switchboard_upstream_responses_total", "switchboard_upstream_token_requests_total",
                "switchboard_email_reports_last_success_timestamp_seconds", "http_server_requests_seconds_bucket");

        String prometheus = scrapeAfterSomeWork();

        List<String> missing = named.stream().filter(name -> !exported(prometheus, name)).toList();
        assertThat(missing).as("named by config/observability but not exported").isSubsetOf(EXPECTED_AFTER_MERGE);
        assertThat(EXPECTED_AFTER_MERGE).as("the expected-after-merge list only holds names the config uses")
                .isSubsetOf(named);
    }

    @Test
    void should_follow_prometheus_conventions() {
        String prometheus = scrapeAfterSomeWork();

        assertThat(prometheus)
                .contains("# TYPE switchboard_upstream_token_requests_total counter")
                .contains("# TYPE switchboard_routing_rules_changes_total counter")
                .contains("# TYPE switchboard_email_reports_last_success_timestamp_seconds gauge")
                .contains("# TYPE switchboard_upstream_token_expiry_timestamp_seconds gauge")
                .contains("switchboard_email_delivery_bounce_ratio{")
                .contains("switchboard_upstream_budget_used_ratio{")
                .contains("switchboard_genesys_integrations_latency_average_seconds{")
                .contains("http_server_requests_seconds_bucket{");
        assertThat(prometheus.lines().filter(line -> line.startsWith("switchboard_") && line.contains("quantile=\"")))
                .as("per-instance quantiles cannot be aggregated across replicas").isEmpty();
        assertThat(prometheus.lines().filter(line -> line.startsWith("switchboard_") && line.contains("_milliseconds")))
                .as("base units: seconds").isEmpty();
    }

    @Test
    void should_give_every_alert_a_duration_a_severity_and_a_summary() throws IOException {
        List<Map<String, Object>> rules = rules();

        assertThat(rules).extracting(rule -> rule.get("alert")).contains("SwitchboardDeadLettersRising",
                "SwitchboardOldestPendingDeliveryTooOld", "SwitchboardUpstream429Sustained",
                "SwitchboardTokenRequestsFailing", "SwitchboardReportPollFailing", "SwitchboardReportPollStale");
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule).containsKeys("alert", "expr", "for", "labels", "annotations");
            assertThat(((Map<?, ?>) rule.get("labels")).keySet()).extracting(Object::toString).contains("severity");
            assertThat(((Map<?, ?>) rule.get("annotations")).keySet()).extracting(Object::toString).contains("summary");
        });
    }

    /** An API call, an upstream call and a dead letter: the meters created on first use exist afterwards. */
    private String scrapeAfterSomeWork() {
        upstream().stubFor(get(urlPathEqualTo("/cxone/observability-probe"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
        producer.send(Upstream.CXONE, exchange -> {
            exchange.getIn().setHeader(Upstream.METHOD, "GET");
            exchange.getIn().setHeader(Upstream.PATH, "/observability-probe");
        });
        String id = deadLetters.add("observability-test", "a test dead letter", 1, "{}", null, Map.of());
        deadLetters.delete(id);
        assertThat(api.get("/api/overview").status()).isEqualTo(200);
        return api.send("GET", "/actuator/prometheus", null, Map.of()).body();
    }

    private static boolean exported(String prometheus, String name) {
        return prometheus.lines().anyMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
    }

    private static Set<String> metricsIn(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher matcher = METRIC.matcher(query);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        assertThat(queries).as("dashboard queries").hasSizeGreaterThan(10);
        return queries;
    }

    private static List<String> ruleQueries() throws IOException {
        return rules().stream().map(rule -> rule.get("expr").toString()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }
}
