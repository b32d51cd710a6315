package io.switchboard.platform.security;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The API door with three keys of three roles: 403 naming the needed role (audited, nothing sent upstream),
 * GET /api/whoami, the OpenAPI document's schemes and roles, the brute-force brake, and the SMTP probe's
 * SSRF refusal over HTTP.
 */
@TestPropertySource(properties = {
        "switchboard.api-keys=viewer:viewer-key-0001:viewer,operator:operator-key-0001,admin:admin-key-0001:admin",
        "switchboard.auth.max-failures-per-minute=3"
})
class ApiSecurityTest extends IntegrationTestBase {

    private static final String VIEWER = "viewer-key-0001";
    private static final String OPERATOR = "operator-key-0001";
    private static final String ADMIN = "admin-key-0001";

    private static final ServerSocket RELAY;
    private static final AtomicInteger RELAY_CONNECTIONS = new AtomicInteger();

    static {
        try {
            RELAY = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (!RELAY.isClosed()) {
                try (Socket socket = RELAY.accept()) {
                    RELAY_CONNECTIONS.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "loopback-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @DynamicPropertySource
    static void relay(DynamicPropertyRegistry registry) {
        // an operator's connect-to entry pointing at loopback is no way around the SSRF guard
        registry.add("email.probe.connect-to", () -> "relay.internal.test:25=127.0.0.1:" + RELAY.getLocalPort());
    }

    @AfterAll
    static void closeRelay() throws IOException {
        RELAY.close();
    }

    @Autowired
    AuditLog audit;

    private Api.Response call(String method, String path, String body, String key) {
        return api.send(method, path, body, body == null ? Map.of("X-API-Key", key)
                : Map.of("X-API-Key", key, "Content-Type", "application/json"));
    }

    private List<AuditEntry> securityAudit(String action) {
        return audit.find("security", action, null, 500);
    }

    @Test
    void should_let_a_viewer_read_and_refuse_it_a_workflow_call_with_403_naming_operator_before_any_upstream() {
        assertThat(call("GET", "/api/audit", null, VIEWER).status()).isEqualTo(200);

        Api.Response denied = call("POST", "/api/routing/rules",
                "{\"name\":\"r\",\"priority\":1,\"conditions\":[],\"targetQueue\":\"q\"}", VIEWER);

        assertThat(denied.status()).as(denied.body()).isEqualTo(403);
        assertThat(denied.header("Content-Type")).startsWith("application/problem+json");
        assertThat(denied.json().path("requiredRole").asText()).isEqualTo("operator");
        assertThat(denied.json().path("detail").asText()).contains("needs role operator");
        assertThat(upstream().findAll(anyRequestedFor(anyUrl()))).as("requests that reached an upstream").isEmpty();
        assertThat(securityAudit("auth.denied")).anySatisfy(entry -> {
            assertThat(entry.operator()).isEqualTo("viewer");
            assertThat(entry.targetId()).isEqualTo("POST /api/routing/rules");
            assertThat(entry.httpStatus()).isEqualTo(403);
        });
    }

    @Test
    void should_keep_dead_letter_redrive_discard_and_every_delete_for_admins() {
        for (String[] call : new String[][] {{"POST", "/api/dead-letters/some-id/redrive"},
                {"POST", "/api/dead-letters/redrive?source=email-retry"}, {"DELETE", "/api/dead-letters/some-id"},
                {"DELETE", "/api/events/subscriptions/some-id"}}) {
            Api.Response denied = call(call[0], call[1], null, OPERATOR);
            assertThat(denied.status()).as(call[0] + " " + call[1]).isEqualTo(403);
            assertThat(denied.json().path("requiredRole").asText()).isEqualTo("admin");
        }
        assertThat(call("DELETE", "/api/dead-letters/some-id", null, ADMIN).status()).isEqualTo(404);
        assertThat(call("POST", "/api/dead-letters/some-id/redrive", null, ADMIN).status()).isEqualTo(404);
        assertThat(upstream().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void should_tell_each_key_its_name_and_role() {
        assertThat(call("GET", "/api/whoami", null, VIEWER).json()).isEqualTo(json("{\"name\":\"viewer\",\"role\":\"viewer\"}"));
        assertThat(call("GET", "/api/whoami", null, OPERATOR).json())
                .isEqualTo(json("{\"name\":\"operator\",\"role\":\"operator\"}"));
        Api.Response admin = api.send("GET", "/api/whoami", null, Map.of("Authorization", "Bearer " + ADMIN));
        assertThat(admin.json()).isEqualTo(json("{\"name\":\"admin\",\"role\":\"admin\"}"));
    }

    @Test
    void should_declare_the_key_schemes_and_each_operations_role_in_the_openapi_document() {
        JsonNode doc = api.send("GET", "/api/openapi.json", null, Map.of()).json();

        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertThat(schemes.path("apiKey").path("type").asText()).isEqualTo("apiKey");
        assertThat(schemes.path("apiKey").path("in").asText()).isEqualTo("header");
        assertThat(schemes.path("apiKey").path("name").asText()).isEqualTo("X-API-Key");
        assertThat(schemes.path("bearer").path("type").asText()).isEqualTo("http");
        assertThat(schemes.path("bearer").path("scheme").asText()).isEqualTo("bearer");
        assertThat(role(doc, "/api/audit", "get")).isEqualTo("viewer");
        assertThat(role(doc, "/api/routing/rules", "post")).isEqualTo("operator");
        assertThat(role(doc, "/api/dead-letters/{id}/redrive", "post")).isEqualTo("admin");
        assertThat(role(doc, "/api/dead-letters/redrive", "post")).isEqualTo("admin");
        assertThat(role(doc, "/api/dead-letters/{id}", "delete")).isEqualTo("admin");
        assertThat(doc.path("paths").path("/api/dead-letters/{id}").path("delete").path("summary").asText())
                .endsWith("Role: admin.");
        assertThat(doc.path("paths").path("/api/whoami").path("get").path("summary").asText())
                .endsWith("Role: viewer.");
    }

    /** The role of an operation: its security requirement's role names must agree for both schemes. */
    private static String role(JsonNode doc, String path, String method) {
        JsonNode security = doc.path("paths").path(path).path(method).path("security");
        assertThat(security.isArray()).as(path + " " + method + " declares security").isTrue();
        assertThat(security.findValues("apiKey")).as(path).hasSize(1);
        assertThat(security.findValues("bearer")).as(path).hasSize(1);
        String viaKey = security.findValues("apiKey").get(0).get(0).asText();
        assertThat(security.findValues("bearer").get(0).get(0).asText()).isEqualTo(viaKey);
        return viaKey;
    }

    @Test
    void should_throttle_an_address_after_three_wrong_keys_with_429_and_audit_the_failures() {
        for (int i = 1; i <= 3; i++) {
            assertThat(rawGet("127.0.0.2", "/api/whoami", "wrong-canary-key-" + i).status()).isEqualTo(401);
        }
        RawResponse blocked = rawGet("127.0.0.2", "/api/whoami", ADMIN);

        assertThat(blocked.status()).as(blocked.text()).isEqualTo(429);
        assertThat(blocked.text()).contains("application/problem+json");
        int retryAfter = Integer.parseInt(blocked.header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 60);
        // other addresses are not affected
        assertThat(call("GET", "/api/whoami", null, ADMIN).status()).isEqualTo(200);
        List<AuditEntry> failures = securityAudit("auth.failed").stream()
                .filter(e -> "127.0.0.2".equals(e.targetId())).toList();
        assertThat(failures).hasSize(3);
        assertThat(failures.toString()).doesNotContain("wrong-canary-key");
    }

    @Test
    void should_refuse_a_probe_of_a_local_relay_with_400_naming_server_without_connecting() {
        for (String server : new String[] {"127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "localhost",
                "10.0.0.1", "169.254.169.254", "relay.internal.test"}) {
            Api.Response refused = call("POST", "/api/email/smtp-test?probe=true",
                    "{\"server\":\"" + server + "\",\"port\":25}", OPERATOR);

            assertThat(refused.status()).as(server + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().path("errors").findValuesAsText("field")).containsExactly("server");
            assertThat(refused.json().has("probe")).isFalse();
        }
        assertThat(RELAY_CONNECTIONS).as("connections that reached the loopback relay").hasValue(0);
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record RawResponse(int status, String text) {
        String header(String name) {
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).trim();
                }
                if (line.isEmpty()) {
                    break;
                }
            }
            return null;
        }
    }

    /** A GET sent from another loopback address, so the brake's per-address state stays apart from the others. */
    private RawResponse rawGet(String from, String path, String key) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            String text = out.toString(StandardCharsets.UTF_8);
            return new RawResponse(Integer.parseInt(text.substring(9, 12)), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
