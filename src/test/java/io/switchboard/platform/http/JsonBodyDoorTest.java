package io.switchboard.platform.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one door of request bodies, end to end: what it refuses never reaches a workflow or an upstream. */
class JsonBodyDoorTest extends IntegrationTestBase {

    private static final String DATA_ACTION = """
            {"name":"FetchExternalInventory","type":"REST","configuration":{"method":"GET","url":"https://inventory.example.com"}}""";
    private static final String CHANNEL = """
            {"name":"Support relay","smtpSettings":{"server":"smtp.example.com","port":%s}}""";

    private HttpResponse<String> send(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", Api.KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static List<LoggedRequest> upstreamCalls() {
        return upstream().findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> !r.getUrl().contains("/oauth/token")).toList();
    }

    @Test
    void should_answer_an_empty_body_400_a_json_body_is_required_on_every_body_endpoint() throws Exception {
        for (String path : List.of("/api/data-actions", "/api/events", "/api/email/channels", "/api/routing/rules",
                "/api/webhooks/cxone", "/api/genesys/integrations/resolve", "/api/events/subscriptions")) {
            HttpResponse<String> response = send("POST", path, new byte[0], "application/json");
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(Problems.MEDIA_TYPE);
            assertThat(json(response).path("detail").asText()).isEqualTo("a JSON body is required");
            assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("(body)");
        }
        assertThat(upstreamCalls()).isEmpty();
    }

    @Test
    void should_refuse_invalid_utf8_naming_the_byte_offset_and_never_accept_such_an_event() throws Exception {
        byte[] event = """
                {"id":"evt-utf8","detail-type":"Interaction.Lifecycle.StageChanged","source":"com.nice.cxone.interactions",
                 "time":"2025-01-01T00:00:00Z","detail":{"interaction.id":"i-utf8","stage":"Queued"}}"""
                .getBytes(StandardCharsets.UTF_8);
        int at = new String(event, StandardCharsets.ISO_8859_1).indexOf("i-utf8") + 2;
        byte[] mangled = new byte[event.length + 2];
        System.arraycopy(event, 0, mangled, 0, at);
        mangled[at] = (byte) 0xFF;
        mangled[at + 1] = (byte) 0xFE;
        System.arraycopy(event, at, mangled, at + 2, event.length - at);

        HttpResponse<String> response = send("POST", "/api/events", mangled, "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("detail").asText()).contains("not valid UTF-8").contains("byte offset " + at);
        assertThat(api.get("/api/events/replay?interactionId=i-utf8").json().toString()).doesNotContain("evt-utf8");

        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/data-actions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"da-1\"}")));
        byte[] lone = DATA_ACTION.replace("Fetch", "Fe\u0000tch").getBytes(StandardCharsets.UTF_8);
        lone[DATA_ACTION.indexOf("Fetch") + 2] = (byte) 0x80; // a lone continuation byte in the name
        HttpResponse<String> refused = send("POST", "/api/data-actions", lone, "application/json");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(upstreamCalls()).as("nothing mangled is created upstream").isEmpty();
    }

    @Test
    void should_strip_a_utf8_bom_and_forward_the_body_without_it() throws Exception {
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/data-actions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"da-1\"}")));
        byte[] utf8 = DATA_ACTION.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[utf8.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);

        HttpResponse<String> response = send("POST", "/api/data-actions", withBom, "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        List<LoggedRequest> sent = upstream().findAll(postRequestedFor(urlPathEqualTo("/cxone/api/v2/data-actions")));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getBody()[0]).as("no BOM goes upstream").isEqualTo((byte) '{');
        for (String path : List.of("/api/events", "/api/genesys/integrations/resolve", "/api/webhooks/cxone")) {
            HttpResponse<String> other = send("POST", path, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'},
                    "application/json");
            assertThat(other.statusCode()).as(path + ": " + other.body()).isEqualTo(400);
            assertThat(json(other).path("errors").get(0).path("field").asText()).isNotBlank();
        }
    }

    @Test
    void should_refuse_a_port_of_1e20_naming_the_field_without_calling_cxone() throws Exception {
        for (String port : List.of("1e20", "123456789012345678901234567890", "-1e20")) {
            Api.Response response = api.post("/api/email/channels", CHANNEL.formatted(port));
            assertThat(response.status()).as(port + ": " + response.body()).isEqualTo(400);
            assertThat(response.json().path("errors").findValuesAsText("field")).contains("smtpSettings.port");
        }
        Api.Response test = api.post("/api/email/smtp-test", "{\"server\":\"smtp.example.com\",\"port\":1e20}");
        assertThat(test.status()).as(test.body()).isEqualTo(400);
        assertThat(test.json().path("errors").findValuesAsText("field")).contains("port");
        assertThat(upstreamCalls()).isEmpty();
    }

    @Test
    void should_answer_415_naming_the_missing_content_type() throws Exception {
        HttpResponse<String> response = send("POST", "/api/data-actions", DATA_ACTION.getBytes(StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(Problems.MEDIA_TYPE);
        assertThat(json(response).path("detail").asText()).contains("no Content-Type").doesNotContain("null");
        assertThat(upstreamCalls()).isEmpty();
    }

    @Test
    void should_refuse_a_duplicate_key_naming_it() throws Exception {
        Api.Response response = api.post("/api/data-actions", """
                {"name":"A","type":"REST","name":"B","configuration":{}}""");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("name");
        assertThat(upstreamCalls()).isEmpty();
    }

    @Test
    void should_refuse_a_path_id_outside_its_pattern_naming_it() {
        for (String id : List.of("a%20b", "x".repeat(129), "..", "a%3Bb")) {
            Api.Response put = api.put("/api/routing/rules/" + id, "{\"name\":\"r\"}");
            assertThat(put.status()).as(id + ": " + put.body()).isEqualTo(400);
            assertThat(put.json().path("errors").get(0).path("field").asText()).isEqualTo("id");
        }
        Api.Response redrive = api.send("POST", "/api/dead-letters/%3Cscript%3E/redrive", null, Map.of("X-API-Key", Api.KEY));
        assertThat(redrive.status()).isEqualTo(400);
        assertThat(redrive.json().path("errors").get(0).path("field").asText()).isEqualTo("id");
        assertThat(upstreamCalls()).isEmpty();
    }

    @Test
    void should_refuse_a_string_beyond_its_max_length_naming_the_field() {
        Api.Response response = api.post("/api/data-actions", DATA_ACTION.replace("FetchExternalInventory", "n".repeat(256)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).contains("name");
        Api.Response tags = api.post("/api/data-actions", DATA_ACTION.replace("\"type\"",
                "\"tags\":" + Api.json(java.util.Collections.nCopies(51, "t")) + ",\"type\""));
        assertThat(tags.status()).isEqualTo(400);
        assertThat(tags.json().path("errors").findValuesAsText("field")).contains("tags");
        assertThat(upstreamCalls()).isEmpty();
    }
}
