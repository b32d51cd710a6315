package io.switchboard.platform.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A hostile client against every endpoint that takes a JSON body: each endpoint's valid body, mutated in structure
 * (empty, not JSON, truncated, scalars, arrays, deep nesting, huge strings, duplicate keys), in encoding (invalid
 * UTF-8, BOM, NUL, control characters), in its numbers (overflow, NaN, negative zero, exponents) and field by field
 * (missing, null, wrong type, out of range, too long). Every answer must be a 4xx problem+json naming a field, or,
 * where the mutation is harmless, an acceptance; never a 5xx, and a refused body never reaches an upstream (the
 * WireMock request journal shows no call but token requests and the email report poll and retries). The run prints
 * how many cases it tried per endpoint and in all, how long it took and its slowest cases. Its own application
 * context: its thousand calls (audit rows, resolver metrics, the platform budget) stay out of the other tests' view.
 */
@TestPropertySource(properties = "switchboard.test.context=body-mutation")
class BodyMutationTest extends IntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String LONG = "x".repeat(20_000);

    static final String RULE = """
            {"name":"VIP customers","description":"gold tier","priority":1,"enabled":true,"interactionType":"voice",
             "conditions":[{"field":"customer.tier","operator":"equals","value":"gold","conditionGroupId":"g1"}],
             "targets":[{"type":"skill","id":"skill-1","weight":100,"capacity":5}]}""";

    /** The endpoints of the REST DSL that consume application/json, each with a valid body and its schema. */
    record Endpoint(String method, String path, String schema, Function<String, String> validBody) {
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/data-actions", "data-action.json", id -> """
                    {"name":"FetchExternalInventory","description":"Retrieves stock levels","type":"REST",
                     "configuration":{"method":"GET","url":"https://inventory.example.com/api/v2/stock","timeout":3000},
                     "enabled":true,"tags":["inventory"]}"""),
            new Endpoint("POST", "/api/events", "event-envelope.json", id -> """
                    {"version":"0","id":"%s","detail-type":"Interaction.Lifecycle.StageChanged",
                     "source":"com.nice.cxone.interactions","account":"123456789012","time":"2025-01-01T00:00:00Z",
                     "region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/r"],
                     "detail":{"interaction.id":"i-%s","participant.id":"p-1","stage":"Queued","state":"q","sequence":1}}
                    """.formatted(id, id)),
            new Endpoint("POST", "/api/events/subscriptions", "events-subscription.json", id -> """
                    {"name":"cxone-interactions","eventTypes":["Interaction.Lifecycle.StageChanged"],
                     "eventBusName":"cxone-bus","awsAccountId":"123456789012","awsRegion":"us-east-1",
                     "ruleName":"rule-%s","targetArn":"arn:aws:sqs:us-east-1:123456789012:switchboard-events",
                     "targetId":"t1","eventSource":"com.nice.cxone.interactions"}""".formatted(id.substring(0, 8))),
            new Endpoint("POST", "/api/email/channels", "email-channel.json", id -> """
                    {"name":"Support relay","type":"smtp","smtpSettings":{"server":"smtp.example.com","port":587,
                     "username":"relay","password":"relay-pass-1","tlsEnabled":true,"authMechanism":"LOGIN",
                     "timeoutMs":5000},"isDefault":false,"maxRetryCount":3}"""),
            new Endpoint("POST", "/api/email/smtp-test", "email-smtp-test.json", id -> """
                    {"server":"smtp.example.com","port":587,"username":"relay","password":"relay-pass-1","tlsEnabled":true}"""),
            new Endpoint("POST", "/api/routing/rules", "routing-rule.json", id -> RULE),
            new Endpoint("PUT", "/api/routing/rules/rule-1", "routing-rule.json", id -> RULE),
            new Endpoint("POST", "/api/routing/webhooks", "routing-webhook-registration.json", id -> """
                    {"callbackUrl":"https://switchboard.example.com/api/webhooks/cxone","name":"routing","enabled":true}"""),
            new Endpoint("POST", "/api/webhooks/cxone", "routing-webhook-callback.json", id -> """
                    {"event":"routing.rule.created","ruleId":"rule-1","timestamp":"2025-01-01T00:00:00Z",
                     "webhookId":"w-1","eventId":"e-%s","rule":{"id":"rule-1"}}""".formatted(id)),
            new Endpoint("POST", "/api/genesys/integrations/resolve", "genesys-integration-resolve.json", id -> """
                    {"name":"Orders","type":"webhook","uri":"https://127.0.0.1:9/hook",
                     "retryPolicy":{"maxRetries":3,"retryInterval":1000,"backoffFactor":2},
                     "eventFilters":[{"eventType":"v2.users","fields":["id"]}],"headers":{"X-Source":"switchboard"}}"""));


    /** Must this mutation be refused (4xx), or may it also be accepted as harmless? */
    enum Expect { REFUSED, EITHER }

    record Case(Endpoint endpoint, String name, byte[] body, String contentType, Expect expect) {
    }

    record Failure(Case c, String why) {
        @Override
        public String toString() {
            return c.endpoint().method() + " " + c.endpoint().path() + " [" + c.name() + "]: " + why;
        }
    }

    @Test
    void every_mutated_body_is_refused_with_a_field_or_accepted_and_never_a_5xx() {
        stubEveryUpstream();
        List<Failure> failures = new ArrayList<>();
        Map<String, int[]> perEndpoint = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> timings = new ArrayList<>();
        long suiteStart = System.nanoTime();
        int total = 0;
        for (Endpoint endpoint : ENDPOINTS) {
            List<Case> cases = cases(endpoint);
            int failed = 0;
            for (Case c : cases) {
                long caseStart = System.nanoTime();
                String why = run(c);
                timings.add(Map.entry(c.endpoint().method() + " " + c.endpoint().path() + " [" + c.name() + "]",
                        (System.nanoTime() - caseStart) / 1_000_000));
                if (why != null) {
                    System.out.println("Body mutation suite: FAILED " + new Failure(c, why));
                    failures.add(new Failure(c, why));
                    failed++;
                }
            }
            total += cases.size();
            perEndpoint.put(endpoint.method() + " " + endpoint.path(), new int[] {cases.size(), failed});
            System.out.println("Body mutation suite: " + endpoint.method() + " " + endpoint.path() + ": " + cases.size()
                    + " cases, " + failed + " failed");
        }
        StringBuilder report = new StringBuilder("Body mutation suite: " + total + " cases over " + ENDPOINTS.size()
                + " endpoints, " + failures.size() + " failed, in " + (System.nanoTime() - suiteStart) / 1_000_000
                + " ms\n");
        perEndpoint.forEach((name, counts) -> report.append("  ").append(name).append(": ").append(counts[0])
                .append(" cases, ").append(counts[1]).append(" failed\n"));
        report.append("  slowest cases:\n");
        timings.stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(t -> report.append("    ").append(t.getValue()).append(" ms ").append(t.getKey()).append('\n'));
        System.out.println(report);
        assertThat(failures).as(report + String.join("\n", failures.stream().limit(60).map(Failure::toString).toList()))
                .isEmpty();
    }

    // ------------------------------------------------------------------ the cases

    private List<Case> cases(Endpoint e) {
        List<Case> cases = new ArrayList<>();
        String valid = e.validBody().apply(uniqueId());
        byte[] utf8 = valid.getBytes(StandardCharsets.UTF_8);
        JsonNode schema = schema(e.schema());

        // structure
        cases.add(refused(e, "empty", new byte[0]));
        cases.add(refused(e, "whitespace only", " \r\n\t ".getBytes(StandardCharsets.UTF_8)));
        cases.add(refused(e, "not JSON", "name=x&type=y".getBytes(StandardCharsets.UTF_8)));
        byte[] stripped = valid.strip().getBytes(StandardCharsets.UTF_8);
        cases.add(refused(e, "truncated", java.util.Arrays.copyOf(stripped, stripped.length / 2)));
        cases.add(refused(e, "truncated by one byte", java.util.Arrays.copyOf(stripped, stripped.length - 1)));
        for (String scalar : List.of("42", "\"text\"", "null")) {
            cases.add(refused(e, "scalar " + scalar, scalar.getBytes(StandardCharsets.UTF_8)));
        }
        cases.add(refused(e, "array of the body", ("[" + valid + "]").getBytes(StandardCharsets.UTF_8)));
        cases.add(refused(e, "empty array", "[]".getBytes(StandardCharsets.UTF_8)));
        cases.add(refused(e, "two objects", (valid + valid).getBytes(StandardCharsets.UTF_8)));
        cases.add(refused(e, "deep nesting", withExtra(valid, "[".repeat(2000) + "]".repeat(2000))));
        cases.add(refused(e, "deep object nesting", withExtra(valid, "{\"a\":".repeat(500) + "1" + "}".repeat(500))));
        cases.add(refused(e, "huge string (2 MB)", withExtra(valid, "\"" + "y".repeat(2_000_000) + "\"")));
        cases.add(either(e, "large unknown string (200 KB)", withExtra(valid, "\"" + "y".repeat(200_000) + "\"")));
        cases.add(refused(e, "duplicate key", duplicateFirstKey(valid)));
        cases.add(either(e, "trailing whitespace", (valid + " \n").getBytes(StandardCharsets.UTF_8)));
        cases.add(either(e, "unknown field", withExtra(valid, "\"harmless\"")));
        cases.add(refused(e, "comment", ("/* c */" + valid).getBytes(StandardCharsets.UTF_8)));
        cases.add(refused(e, "single quotes", valid.replace('"', '\'').getBytes(StandardCharsets.UTF_8)));

        // encoding
        String firstString = firstStringValue(valid);
        cases.add(refused(e, "invalid UTF-8 0xFF 0xFE", insertIntoString(utf8, firstString, new byte[] {(byte) 0xFF, (byte) 0xFE})));
        cases.add(refused(e, "lone continuation byte", insertIntoString(utf8, firstString, new byte[] {(byte) 0x80})));
        cases.add(refused(e, "truncated UTF-8 sequence", insertIntoString(utf8, firstString, new byte[] {(byte) 0xE2, (byte) 0x82})));
        cases.add(refused(e, "overlong UTF-8", insertIntoString(utf8, firstString, new byte[] {(byte) 0xC0, (byte) 0xAF})));
        cases.add(refused(e, "UTF-16 body", valid.getBytes(StandardCharsets.UTF_16)));
        cases.add(either(e, "UTF-8 BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8)));
        cases.add(refused(e, "two BOMs", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8)));
        cases.add(refused(e, "raw NUL in a string", insertIntoString(utf8, firstString, new byte[] {0})));
        cases.add(refused(e, "escaped NUL in a string", insertIntoString(utf8, firstString, "\\u0000".getBytes(StandardCharsets.UTF_8))));
        cases.add(refused(e, "raw control character", insertIntoString(utf8, firstString, new byte[] {0x07})));
        cases.add(either(e, "escaped control character", insertIntoString(utf8, firstString, "\\u0007".getBytes(StandardCharsets.UTF_8))));
        cases.add(refused(e, "unpaired surrogate", insertIntoString(utf8, firstString, "\\ud800".getBytes(StandardCharsets.UTF_8))));
        cases.add(either(e, "non-ASCII text", insertIntoString(utf8, firstString, "é€😀".getBytes(StandardCharsets.UTF_8))));
        cases.add(new Case(e, "no Content-Type", utf8, null, Expect.REFUSED));
        cases.add(new Case(e, "text/plain", utf8, "text/plain", Expect.REFUSED));
        cases.add(new Case(e, "charset ISO-8859-1", utf8, "application/json; charset=ISO-8859-1", Expect.REFUSED));
        cases.add(new Case(e, "charset utf-8", utf8, "application/json; charset=utf-8", Expect.EITHER));

        // numbers and fields, one path at a time
        ObjectNode base = (ObjectNode) readTree(valid);
        List<List<Object>> paths = new ArrayList<>();
        collectPaths(base, new ArrayList<>(), paths);
        for (List<Object> path : paths) {
            JsonNode current = get(base, path);
            JsonNode declared = declared(schema, schema, path);
            String name = pathName(path);
            cases.add(either(e, name + " missing", mutate(valid, path, null, true)));
            cases.add(either(e, name + " null", mutate(valid, path, "null", false)));
            Expect typed = declared != null && declared.has("type") ? Expect.REFUSED : Expect.EITHER;
            if (current.isTextual()) {
                cases.add(new Case(e, name + " as a number", mutate(valid, path, "12345", false), "application/json", typed));
                cases.add(new Case(e, name + " as an object", mutate(valid, path, "{\"a\":1}", false), "application/json", typed));
                cases.add(new Case(e, name + " too long", mutate(valid, path, "\"" + LONG + "\"", false), "application/json",
                        declared != null ? Expect.REFUSED : Expect.EITHER));
                cases.add(either(e, name + " empty", mutate(valid, path, "\"\"", false)));
            } else if (current.isNumber()) {
                Expect bounded = declared != null ? Expect.REFUSED : Expect.EITHER;
                cases.add(new Case(e, name + " as a string", mutate(valid, path, "\"12\"", false), "application/json", typed));
                for (String overflow : List.of("1e20", "123456789012345678901234567890")) {
                    cases.add(new Case(e, name + " = " + overflow, mutate(valid, path, overflow, false), "application/json", bounded));
                }
                for (String literal : List.of("NaN", "Infinity", "01")) {
                    cases.add(refused(e, name + " = " + literal, mutate(valid, path, literal, false)));
                }
                cases.add(refused(e, name + " with 200 digits", mutate(valid, path, "1" + "0".repeat(200), false)));
                for (String harmless : List.of("-0", "1e2", "2.5")) {
                    cases.add(either(e, name + " = " + harmless, mutate(valid, path, harmless, false)));
                }
            } else if (current.isBoolean()) {
                cases.add(new Case(e, name + " as a string", mutate(valid, path, "\"true\"", false), "application/json", typed));
                cases.add(new Case(e, name + " as a number", mutate(valid, path, "1", false), "application/json", typed));
            } else if (current.isArray()) {
                cases.add(new Case(e, name + " as an object", mutate(valid, path, "{}", false), "application/json", typed));
                cases.add(either(e, name + " empty", mutate(valid, path, "[]", false)));
                ArrayNode many = JsonNodeFactory.instance.arrayNode();
                for (int i = 0; i < 2000; i++) {
                    many.add(current.isEmpty() ? JsonNodeFactory.instance.textNode("x") : current.get(0));
                }
                cases.add(new Case(e, name + " with 2000 items", mutate(valid, path, many.toString(), false), "application/json",
                        declared != null ? Expect.REFUSED : Expect.EITHER));
            } else if (current.isObject()) {
                cases.add(new Case(e, name + " as a string", mutate(valid, path, "\"text\"", false), "application/json", typed));
                cases.add(new Case(e, name + " as an array", mutate(valid, path, "[]", false), "application/json", typed));
            }
        }
        return cases;
    }

    /** Sends one case with a fresh unique id and judges the answer; null when it passes. */
    private String run(Case c) {
        upstream().resetRequests();
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.endpoint().path()))
                    .timeout(Duration.ofSeconds(15))
                    .header("X-API-Key", Api.KEY)
                    .method(c.endpoint().method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
            if (c.contentType() != null) {
                request.header("Content-Type", c.contentType());
            }
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        int status = response.statusCode();
        String body = response.body();
        String shortBody = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        if (status >= 500) {
            return "answered " + status + ": " + shortBody;
        }
        if (status < 400) {
            return c.expect() == Expect.REFUSED ? "accepted (" + status + ") an invalid body: " + shortBody : null;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith(Problems.MEDIA_TYPE)) {
            return status + " without problem+json (" + type + "): " + shortBody;
        }
        if (status == 400) {
            JsonNode errors = readTree(body).path("errors");
            if (!errors.isArray() || errors.isEmpty() || errors.get(0).path("field").asText().isBlank()) {
                return "400 naming no field: " + shortBody;
            }
        }
        // token requests, and the email report poll and retry queue, which run on their own (left by other tests)
        List<LoggedRequest> calls = upstream().findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> !r.getUrl().contains("/oauth/token"))
                .filter(r -> !r.getUrl().startsWith("/cxone/api/v1/email/delivery/"))
                .toList();
        if (!calls.isEmpty()) {
            return "refused (" + status + ") but called the upstream: " + calls.get(0).getMethod() + " " + calls.get(0).getUrl();
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Every upstream call (CXone, Genesys Cloud, EventBridge, SQS queue policy) answers a plausible success at once,
     * so an accepted body is answered 2xx without waiting on a retry. The Genesys destination is an IP literal the
     * SSRF guard refuses, so no case waits on DNS or a connection.
     */
    private static void stubEveryUpstream() {
        upstream().stubFor(any(urlMatching("/(cxone|genesys)/api/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("ETag", "\"etag-1\"")
                        .withBody("{\"id\":\"stub-1\",\"name\":\"stub\",\"connectionId\":\"c-1\",\"etag\":\"etag-1\"}")));
        upstream().stubFor(any(urlMatching("/aws/sqs.*")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/123456789012/switchboard-events\","
                                + "\"Attributes\":{}}")));
        upstream().stubFor(any(urlMatching("/aws/eventbridge.*")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"RuleArn\":\"arn:aws:events:us-east-1:123456789012:rule/r\","
                                + "\"FailedEntryCount\":0,\"FailedEntries\":[]}")));
    }

    private static Case refused(Endpoint e, String name, byte[] body) {
        return new Case(e, name, body, "application/json", Expect.REFUSED);
    }

    private static Case either(Endpoint e, String name, byte[] body) {
        return new Case(e, name, body, "application/json", Expect.EITHER);
    }

    private static String uniqueId() {
        return UUID.randomUUID().toString();
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode schema(String file) {
        try {
            return JSON.readTree(Files.readString(Path.of("config/schemas", file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema of a path when the schema declares it (properties, items, $ref), else null. */
    static JsonNode declared(JsonNode root, JsonNode schema, List<Object> path) {
        JsonNode current = schema;
        for (Object segment : path) {
            current = resolve(root, current);
            if (current == null) {
                return null;
            }
            current = segment instanceof Integer ? current.get("items") : current.path("properties").get((String) segment);
            if (current == null) {
                return null;
            }
        }
        return resolve(root, current);
    }

    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        if (schema != null && schema.has("$ref")) {
            return root.at(schema.get("$ref").asText().substring(1));
        }
        return schema;
    }

    private static void collectPaths(JsonNode node, List<Object> prefix, List<List<Object>> into) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                List<Object> path = new ArrayList<>(prefix);
                path.add(field.getKey());
                into.add(path);
                collectPaths(field.getValue(), path, into);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            List<Object> path = new ArrayList<>(prefix);
            path.add(0);
            into.add(path);
            collectPaths(node.get(0), path, into);
        }
    }

    private static JsonNode get(JsonNode node, List<Object> path) {
        JsonNode current = node;
        for (Object segment : path) {
            current = segment instanceof Integer i ? current.get(i) : current.get((String) segment);
        }
        return current;
    }

    private static String pathName(List<Object> path) {
        StringBuilder name = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer i) {
                name.append('[').append(i).append(']');
            } else {
                name.append(name.isEmpty() ? "" : ".").append(segment);
            }
        }
        return name.toString();
    }

    /** The valid body with one path removed, or its value replaced by a raw JSON literal (which may be invalid JSON). */
    private static byte[] mutate(String valid, List<Object> path, String literal, boolean remove) {
        ObjectNode copy = (ObjectNode) readTree(valid);
        JsonNode parent = get(copy, path.subList(0, path.size() - 1));
        Object last = path.get(path.size() - 1);
        String marker = "@@" + UUID.randomUUID() + "@@";
        if (parent instanceof ObjectNode object) {
            if (remove) {
                object.remove((String) last);
            } else {
                object.put((String) last, marker);
            }
        } else if (parent instanceof ArrayNode array) {
            if (remove) {
                array.remove((Integer) last);
            } else {
                array.set((Integer) last, JsonNodeFactory.instance.textNode(marker));
            }
        }
        String text = copy.toString();
        if (!remove) {
            text = text.replace("\"" + marker + "\"", literal);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withExtra(String valid, String literal) {
        String trimmed = valid.strip();
        return ("{\"zzExtra\":" + literal + "," + trimmed.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] duplicateFirstKey(String valid) {
        JsonNode node = readTree(valid);
        String first = node.fieldNames().next();
        String trimmed = valid.strip();
        return ("{\"" + first + "\":" + node.get(first) + "," + trimmed.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private static String firstStringValue(String valid) {
        Iterator<Map.Entry<String, JsonNode>> fields = readTree(valid).fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isTextual() && !field.getValue().asText().isEmpty()) {
                return field.getValue().asText();
            }
        }
        throw new IllegalStateException("no string field in " + valid);
    }

    /** The bytes with {@code inserted} put into the middle of the first occurrence of the string value. */
    private static byte[] insertIntoString(byte[] body, String value, byte[] inserted) {
        byte[] needle = ("\"" + value + "\"").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(body, needle);
        int split = at + 1 + Math.max(1, value.length() / 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, split);
        out.write(inserted, 0, inserted.length);
        out.write(body, split, body.length - split);
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
