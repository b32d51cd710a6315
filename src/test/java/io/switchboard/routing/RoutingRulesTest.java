package io.switchboard.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import io.switchboard.test.TestUpstreams;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Routing rules (docs/api.md#routing-rules) are validated (fallback cycles included), created, and updated with If-Match. */
class RoutingRulesTest extends IntegrationTestBase {

    private static final String RULES = "/cxone/api/v2/routing/interactionroutingrules";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RoutingCounters counters;

    // ------------------------------------------------------------------ create

    @Test
    void should_create_a_rule_and_answer_201_with_the_id_cxone_gave_it() {
        upstream().stubFor(post(urlPathEqualTo(RULES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withHeader("ETag", "\"v1\"").withGzipDisabled(true)
                .withBody("{\"id\":\"rule-new-1\",\"name\":\"VIP Customer Priority Routing\"}")));

        Api.Response response = api.post("/api/routing/rules", rule("VIP Customer Priority Routing").toString());

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("id").asText()).isEqualTo("rule-new-1");
        assertThat(response.json().path("etag").asText()).isEqualTo("\"v1\"");
        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(RULES))
                .withHeader("Authorization", equalTo("Bearer test-token-cxone"))
                .withRequestBody(matchingJsonPath("$.name", equalTo("VIP Customer Priority Routing")))
                .withRequestBody(matchingJsonPath("$.targets[1].weight", equalTo("30")))
                .withRequestBody(matchingJsonPath("$.id", absent())));
    }

    @Test
    void should_retry_a_429_after_its_retry_after_and_then_succeed() {
        upstream().stubFor(post(urlPathEqualTo(RULES)).inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"message\":\"slow down\"}"))
                .willSetStateTo("served"));
        upstream().stubFor(post(urlPathEqualTo(RULES)).inScenario("throttled").whenScenarioStateIs("served")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"rule-after-429\"}")));

        long started = System.nanoTime();
        Api.Response response = api.post("/api/routing/rules", rule("Throttled").toString());
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("id").asText()).isEqualTo("rule-after-429");
        assertThat(elapsedMs).as("waited out Retry-After: 1").isGreaterThanOrEqualTo(950);
        upstream().verify(exactly(2), postRequestedFor(urlPathEqualTo(RULES))
                .withoutHeader("CamelRedeliveryCounter").withoutHeader("CamelRedelivered"));
    }

    @Test
    void should_answer_502_when_cxone_keeps_failing_and_409_when_it_refuses() {
        upstream().stubFor(post(urlPathEqualTo(RULES)).willReturn(aResponse().withStatus(500)
                .withBody("{\"message\":\"routing engine unavailable\"}")));
        Api.Response failing = api.post("/api/routing/rules", rule("Unlucky").toString());
        upstream().resetAll();
        TestUpstreams.reset();
        upstream().stubFor(post(urlPathEqualTo(RULES)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"A rule named 'Taken' already exists\"}")));
        Api.Response refused = api.post("/api/routing/rules", rule("Taken").toString());

        assertThat(failing.status()).as(failing.body()).isEqualTo(502);
        assertThat(failing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(failing.json().path("detail").asText()).contains("routing engine unavailable", "after 4 attempts");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("already exists");
    }

    // ------------------------------------------------------------------ validation

    @Test
    void should_name_every_invalid_field_in_one_400_without_calling_cxone() {
        ObjectNode rule = rule(null);
        ArrayNode conditions = rule.putArray("conditions");
        for (int i = 0; i < 11; i++) {
            conditions.addObject().put("field", "f" + i).put("operator", "equals").put("value", i);
        }
        ((ObjectNode) conditions.get(1)).put("operator", "like");
        ((ObjectNode) conditions.get(2)).remove("field");
        ArrayNode targets = rule.putArray("targets");
        targets.addObject().put("id", "queue-1").put("weight", 40);
        targets.addObject().put("type", "queue").put("weight", 40);
        targets.addObject().put("type", "queue").put("id", "queue-3").put("weight", 150);

        Api.Response response = api.post("/api/routing/rules", rule.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder(
                "name", "conditions[1].operator", "conditions[2].field", "targets[0].type", "targets[1].id",
                "targets[2].weight", "conditions", "targets");
        assertThat(message(response, "conditions")).contains("at most 10 conditions", "got 11");
        assertThat(message(response, "targets")).contains("sum to 100", "got 230");
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(RULES)));
    }

    @Test
    void should_refuse_weights_that_do_not_sum_to_100() {
        ObjectNode rule = rule("Ninety percent");
        ((ObjectNode) rule.get("targets").get(1)).put("weight", 20);

        Api.Response response = api.post("/api/routing/rules", rule.toString());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("targets");
        assertThat(message(response, "targets")).isEqualTo("target weights must sum to 100, got 90");
    }

    @Test
    void should_accept_a_rule_without_targets_or_conditions() {
        upstream().stubFor(post(urlPathEqualTo(RULES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"bare\"}")));
        ObjectNode rule = JSON.createObjectNode().put("name", "Bare");

        Api.Response response = api.post("/api/routing/rules", rule.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void should_refuse_a_rule_that_falls_back_to_itself_without_fetching_anything() {
        ObjectNode rule = rule("Self").put("fallbackRuleId", "rule-self");

        Api.Response response = api.put("/api/routing/rules/rule-self", rule.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(message(response, "fallbackRuleId")).contains("itself");
        upstream().verify(exactly(0), getRequestedFor(urlPathMatching(RULES + "/.*")));
        upstream().verify(exactly(0), putRequestedFor(urlPathMatching(RULES + "/.*")));
    }

    @Test
    void should_find_a_three_rule_cycle_through_the_rules_cxone_stores() {
        stubStoredRule("rule-c", "rule-a", "\"v1\"");
        stubStoredRule("rule-a", "rule-b", "\"v1\"");
        ObjectNode rule = rule("General voice routing").put("fallbackRuleId", "rule-c");

        Api.Response response = api.put("/api/routing/rules/rule-b", rule.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("fallbackRuleId");
        assertThat(message(response, "fallbackRuleId")).contains("rule-b → rule-c → rule-a → rule-b");
        upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo(RULES + "/rule-c")));
        upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo(RULES + "/rule-a")));
        upstream().verify(exactly(0), getRequestedFor(urlPathEqualTo(RULES + "/rule-b")));
        upstream().verify(exactly(0), putRequestedFor(urlPathMatching(RULES + "/.*")));
    }

    @Test
    void should_report_the_cycle_together_with_the_other_problems() {
        stubStoredRule("rule-c", "rule-a", "\"v1\"");
        stubStoredRule("rule-a", "rule-b", "\"v1\"");
        ObjectNode rule = rule("General voice routing").put("fallbackRuleId", "rule-c");
        ((ObjectNode) rule.get("conditions").get(0)).put("operator", "between");

        Api.Response response = api.put("/api/routing/rules/rule-b", rule.toString());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("conditions[0].operator", "fallbackRuleId");
    }

    @Test
    void should_accept_a_long_acyclic_chain_fetching_each_rule_once() {
        int length = 20;
        for (int i = 1; i <= length; i++) {
            stubStoredRule("chain-" + i, i < length ? "chain-" + (i + 1) : null, "\"v1\"");
        }
        upstream().stubFor(post(urlPathEqualTo(RULES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"chain-0\"}")));

        Api.Response response = api.post("/api/routing/rules", rule("Head of the chain")
                .put("fallbackRuleId", "chain-1").toString());

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        for (int i = 1; i <= length; i++) {
            upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo(RULES + "/chain-" + i)));
        }
    }

    @Test
    void should_refuse_a_chain_that_runs_into_a_stored_cycle_without_looping() {
        stubStoredRule("loop-x", "loop-y", "\"v1\"");
        stubStoredRule("loop-y", "loop-z", "\"v1\"");
        stubStoredRule("loop-z", "loop-y", "\"v1\"");

        Api.Response response = api.post("/api/routing/rules", rule("Into the loop")
                .put("fallbackRuleId", "loop-x").toString());

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(message(response, "fallbackRuleId")).contains("loop-y → loop-z → loop-y");
        for (String id : List.of("loop-x", "loop-y", "loop-z")) {
            upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo(RULES + "/" + id)));
        }
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(RULES)));
    }

    @Test
    void should_refuse_a_fallback_that_does_not_exist_or_a_broken_chain() {
        upstream().stubFor(get(urlPathMatching(RULES + "/.*")).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Routing rule not found\"}")));
        stubStoredRule("rule-a", "gone", "\"v1\"");

        Api.Response missing = api.post("/api/routing/rules", rule("Orphan").put("fallbackRuleId", "nowhere").toString());
        Api.Response broken = api.post("/api/routing/rules", rule("Broken").put("fallbackRuleId", "rule-a").toString());

        assertThat(missing.status()).as(missing.body()).isEqualTo(400);
        assertThat(message(missing, "fallbackRuleId")).contains("does not exist", "nowhere");
        assertThat(broken.status()).as(broken.body()).isEqualTo(400);
        assertThat(message(broken, "fallbackRuleId")).contains("rule-a → gone", "'gone' does not exist");
    }

    @Test
    void should_refuse_ids_that_cannot_be_put_into_an_upstream_path() {
        Api.Response badPath = api.put("/api/routing/rules/a%20b", rule("x").toString());
        Api.Response badFallback = api.post("/api/routing/rules", rule("x").put("fallbackRuleId", "../webhooks").toString());
        Api.Response idOnCreate = api.post("/api/routing/rules", rule("x").put("id", "mine").toString());

        assertThat(badPath.status()).isEqualTo(400);
        assertThat(badPath.json().path("errors").findValuesAsText("field")).containsExactly("id");
        assertThat(badFallback.status()).isEqualTo(400);
        assertThat(badFallback.json().path("errors").findValuesAsText("field")).containsExactly("fallbackRuleId");
        assertThat(idOnCreate.status()).isEqualTo(400);
        assertThat(idOnCreate.json().path("errors").findValuesAsText("field")).containsExactly("id");
        upstream().verify(exactly(0), getRequestedFor(urlPathMatching("/cxone/.*")));
    }

    @Test
    void should_answer_malformed_json_with_400() {
        Api.Response response = api.post("/api/routing/rules", "{\"name\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("title").asText()).isEqualTo("Malformed JSON");
    }

    // ------------------------------------------------------------------ update

    @Test
    void should_put_with_if_match_of_the_etag_it_fetched() {
        stubStoredRule("rule-a", null, "\"v5\"");
        upstream().stubFor(put(urlPathEqualTo(RULES + "/rule-a")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("ETag", "\"v6\"").withGzipDisabled(true)
                .withBody("{\"id\":\"rule-a\",\"name\":\"Renamed\"}")));

        Api.Response response = api.put("/api/routing/rules/rule-a", rule("Renamed").toString());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("id").asText()).isEqualTo("rule-a");
        assertThat(response.json().path("etag").asText()).isEqualTo("\"v6\"");
        assertThat(response.json().path("attempts").asInt()).isEqualTo(1);
        upstream().verify(exactly(1), putRequestedFor(urlPathEqualTo(RULES + "/rule-a"))
                .withHeader("If-Match", equalTo("\"v5\""))
                .withRequestBody(matchingJsonPath("$.id", equalTo("rule-a")))
                .withRequestBody(matchingJsonPath("$.name", equalTo("Renamed"))));
    }

    @Test
    void should_fetch_again_and_succeed_after_one_412() {
        upstream().stubFor(get(urlPathEqualTo(RULES + "/rule-a")).inScenario("etag").whenScenarioStateIs(STARTED)
                .willReturn(storedRule("rule-a", null, "\"v1\"")));
        upstream().stubFor(get(urlPathEqualTo(RULES + "/rule-a")).inScenario("etag").whenScenarioStateIs("changed")
                .willReturn(storedRule("rule-a", null, "\"v2\"")));
        upstream().stubFor(put(urlPathEqualTo(RULES + "/rule-a")).inScenario("etag").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(412).withBody("{\"message\":\"If-Match does not match\"}"))
                .willSetStateTo("changed"));
        upstream().stubFor(put(urlPathEqualTo(RULES + "/rule-a")).inScenario("etag").whenScenarioStateIs("changed")
                .withHeader("If-Match", equalTo("\"v2\""))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"v3\"").withGzipDisabled(true)
                        .withHeader("Content-Type", "application/json").withBody("{\"id\":\"rule-a\"}")));

        Api.Response response = api.put("/api/routing/rules/rule-a", rule("Second time lucky").toString());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("attempts").asInt()).isEqualTo(2);
        assertThat(response.json().path("etag").asText()).isEqualTo("\"v3\"");
        upstream().verify(exactly(2), getRequestedFor(urlPathEqualTo(RULES + "/rule-a")));
        upstream().verify(exactly(2), putRequestedFor(urlPathEqualTo(RULES + "/rule-a")));
        upstream().verify(exactly(1), putRequestedFor(urlPathEqualTo(RULES + "/rule-a"))
                .withHeader("If-Match", equalTo("\"v1\"")));
        upstream().verify(exactly(1), putRequestedFor(urlPathEqualTo(RULES + "/rule-a"))
                .withHeader("If-Match", equalTo("\"v2\"")));
    }

    @Test
    void should_answer_409_naming_the_conflict_after_three_412s() {
        stubStoredRule("rule-contended", null, "\"v7\"");
        for (int i = 0; i < 4; i++) {
            upstream().stubFor(put(urlPathEqualTo(RULES + "/rule-contended")).inScenario("contended")
                    .whenScenarioStateIs(i == 0 ? STARTED : "412-" + i)
                    .willReturn(aResponse().withStatus(412).withHeader("ETag", "\"v8\"")
                            .withBody("{\"message\":\"The rule was modified by another process\"}"))
                    .willSetStateTo("412-" + (i + 1)));
        }

        Api.Response response = api.put("/api/routing/rules/rule-contended", rule("Contended").toString());

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("detail").asText()).contains("rule-contended", "412", "\"v7\"");
        assertThat(response.json().path("ruleId").asText()).isEqualTo("rule-contended");
        assertThat(response.json().path("attempts").asInt()).isEqualTo(3);
        assertThat(response.json().path("lastEtag").asText()).isEqualTo("\"v7\"");
        upstream().verify(exactly(3), getRequestedFor(urlPathEqualTo(RULES + "/rule-contended")));
        upstream().verify(exactly(3), putRequestedFor(urlPathEqualTo(RULES + "/rule-contended")));
    }

    @Test
    void should_retry_a_429_on_the_put_after_a_412() {
        stubStoredRule("rule-a", null, "\"v1\"");
        upstream().stubFor(put(urlPathEqualTo(RULES + "/rule-a")).inScenario("mixed").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(412)).willSetStateTo("throttle"));
        upstream().stubFor(put(urlPathEqualTo(RULES + "/rule-a")).inScenario("mixed").whenScenarioStateIs("throttle")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("ok"));
        upstream().stubFor(put(urlPathEqualTo(RULES + "/rule-a")).inScenario("mixed").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"rule-a\"}")));

        Api.Response response = api.put("/api/routing/rules/rule-a", rule("Busy platform").toString());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("attempts").asInt()).isEqualTo(2);
        upstream().verify(exactly(3), putRequestedFor(urlPathEqualTo(RULES + "/rule-a")));
    }

    @Test
    void should_answer_404_when_the_rule_to_update_does_not_exist() {
        upstream().stubFor(get(urlPathEqualTo(RULES + "/rule-zz")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Routing rule 'rule-zz' not found\"}")));

        Api.Response response = api.put("/api/routing/rules/rule-zz", rule("Nobody home").toString());

        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.json().path("detail").asText()).contains("rule-zz");
        upstream().verify(exactly(0), putRequestedFor(urlPathMatching(RULES + "/.*")));
    }

    // ------------------------------------------------------------------ audit

    @Test
    void should_audit_every_attempt_with_the_running_success_count_and_total() {
        RoutingCounters.Totals before = counters.current();
        upstream().stubFor(post(urlPathEqualTo(RULES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"audited-1\"}")));
        stubStoredRule("rule-contended", null, "\"v7\"");
        upstream().stubFor(put(urlPathEqualTo(RULES + "/rule-contended")).willReturn(aResponse().withStatus(412)));

        assertThat(api.post("/api/routing/rules", rule("Audited").toString()).status()).isEqualTo(201);
        assertThat(api.post("/api/routing/rules", rule(null).toString()).status()).isEqualTo(400);
        assertThat(api.put("/api/routing/rules/rule-contended", rule("Audited").toString()).status()).isEqualTo(409);

        JsonNode items = api.get("/api/audit?workflow=routing-rules&limit=3").json().path("items");
        assertThat(items.findValuesAsText("action")).containsExactly("rule.update", "rule.create", "rule.create");
        assertThat(items.findValuesAsText("outcome")).containsExactly("failure", "failure", "success");
        assertThat(items.findValuesAsText("httpStatus")).containsExactly("409", "400", "201");
        assertThat(items.get(2).path("targetId").asText()).isEqualTo("audited-1");
        assertThat(items.get(0).path("operator").asText()).isEqualTo("tester");
        long s = before.successCount();
        long t = before.totalCount();
        assertThat(counts(items.get(2))).containsExactly(s + 1, t + 1);
        assertThat(counts(items.get(1))).containsExactly(s + 1, t + 2);
        assertThat(counts(items.get(0))).containsExactly(s + 1, t + 3);
        assertThat(items.get(1).path("payload").path("errors").findValuesAsText("field")).contains("name");
        assertThat(items.get(0).path("payload").path("attempts").asInt()).isEqualTo(3);
        assertThat(counters.current()).isEqualTo(new RoutingCounters.Totals(s + 1, t + 3));
    }

    // ------------------------------------------------------------------ helpers

    /** A valid rule; {@code name} null leaves the name out. */
    static ObjectNode rule(String name) {
        ObjectNode rule = JSON.createObjectNode();
        if (name != null) {
            rule.put("name", name);
        }
        rule.put("description", "Routes high-value interactions to dedicated agent pools")
                .put("priority", 10).put("enabled", true).put("interactionType", "voice");
        ArrayNode conditions = rule.putArray("conditions");
        conditions.addObject().put("field", "customerSegment").put("operator", "equals").put("value", "vip");
        conditions.addObject().put("field", "callDuration").put("operator", "lessThan").put("value", 120);
        ArrayNode targets = rule.putArray("targets");
        targets.addObject().put("type", "queue").put("id", "queue-vip-pool-01").put("weight", 70).put("capacity", 50);
        targets.addObject().put("type", "queue").put("id", "queue-vip-pool-02").put("weight", 30).put("capacity", 30);
        return rule;
    }

    private static void stubStoredRule(String id, String fallback, String etag) {
        upstream().stubFor(get(urlPathEqualTo(RULES + "/" + id)).willReturn(storedRule(id, fallback, etag)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder storedRule(
            String id, String fallback, String etag) {
        ObjectNode stored = rule("Stored " + id).put("id", id);
        if (fallback != null) {
            stored.put("fallbackRuleId", fallback);
        }
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("ETag", etag).withBody(stored.toString()).withGzipDisabled(true);
    }

    private static String message(Api.Response response, String field) {
        for (JsonNode error : response.json().path("errors")) {
            if (error.path("field").asText().equals(field)) {
                return error.path("message").asText();
            }
        }
        throw new AssertionError("no error on " + field + " in " + response.body());
    }

    private static List<Long> counts(JsonNode item) {
        return List.of(item.path("payload").path("successCount").asLong(), item.path("payload").path("totalCount").asLong());
    }
}
