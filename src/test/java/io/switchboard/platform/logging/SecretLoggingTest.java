package io.switchboard.platform.logging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Canary secrets travel through calls, failures, audit and dead letters; none reaches a log line. Masking
 * goes by structure and the configured secrets only: nothing a caller sends changes what is masked.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretLoggingTest extends IntegrationTestBase {

    private static final Logger LOG = LoggerFactory.getLogger(SecretLoggingTest.class);

    @Autowired
    AuditLog audit;

    @Autowired
    DeadLetters deadLetters;

    @Test
    void should_keep_every_canary_secret_out_of_the_log(CapturedOutput output) {
        // the configured client secret goes to the token endpoint; a refused token request is logged
        upstream().stubFor(post(urlPathEqualTo("/genesys/oauth/token")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"bad secret genesys-canary-secret-2718\"}")));
        producer.send(Upstream.GENESYS, e -> {
            e.getIn().setHeader(Upstream.PATH, "/api/v2/x");
            e.getIn().setBody(Map.of("password", "body-canary-pw"));
        });
        // an API key offered by a caller, right or wrong
        api.send("GET", "/api/audit", null, Map.of("X-API-Key", "wrong-key-canary"));
        api.send("GET", "/api/audit", null, Map.of("X-API-Key", "test-key-0001"));
        // payloads and reasons that carry secrets
        audit.record(AuditRecord.of("email", "channel.create").payload(Map.of("password", "audit-canary-pw")));
        deadLetters.add("test-logging", "relay refused: password=dl-canary-pw token: dl-canary-token", 3,
                "{\"password\":\"dl-canary-pw\"}", null, Map.of());
        // careless log statements are masked by structure as a last line of defence
        LOG.info("relay login {\"username\":\"ops\",\"password\":\"runtime canary smtp password\"}");
        LOG.info("Authorization: Bearer bearer-canary-token, client_secret=form-canary-secret");
        LOG.info("calling https://ops:url-canary-pw@hooks.example.com/x with X-API-Key: header-canary-key");
        LOG.info("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqd3QtY2FuYXJ5In0.c2lnbmF0dXJlLWNhbmFyeQ issued");
        LOG.info("basic credentials " + base64("test-genesys:genesys-canary-secret-2718")
                + " and key " + base64("test-key-0001"));
        LOG.warn("failed", new IllegalStateException("login failed for password=exception-canary-pw"));

        assertThat(output.getAll()).contains("\"password\":\"***\"", "login failed for password=***",
                "https://***@hooks.example.com/x");
        for (String canary : new String[] {"cxone-canary-secret-3141", "genesys-canary-secret-2718", "body-canary-pw",
                "test-key-0001", "audit-canary-pw", "dl-canary-pw", "dl-canary-token", "runtime canary smtp password",
                "canary smtp", "bearer-canary-token", "form-canary-secret", "exception-canary-pw", "url-canary-pw",
                "header-canary-key", "eyJzdWIiOiJqd3QtY2FuYXJ5In0", base64("test-genesys:genesys-canary-secret-2718"),
                base64("test-key-0001")}) {
            assertThat(output.getAll()).as("log output must not contain %s", canary).doesNotContain(canary);
        }
    }

    @Test
    void should_not_let_a_caller_make_a_word_vanish_from_the_log(CapturedOutput output) {
        // a caller's SMTP password used to be remembered process-wide and masked in every later line
        Api.Response answer = api.post("/api/email/smtp-test",
                "{\"server\":\"smtp.example.com\",\"port\":587,\"username\":\"ops\",\"password\":\"ERROR\","
                        + "\"tlsEnabled\":true}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);

        LOG.warn("ERROR marker 7731: event evt-ERROR-42 reached the sink");

        assertThat(output.getAll()).contains("ERROR marker 7731: event evt-ERROR-42 reached the sink");
        assertThat(answer.body()).doesNotContain("\"password\":\"ERROR\"");
    }

    @Test
    void should_keep_secrets_out_of_audit_items_and_dead_letters() {
        audit.record(AuditRecord.of("email", "channel.create").target("audit-structure-test")
                .failure(502, "relay https://ops:audit-url-pw@relay.example.com refused Bearer audit-bearer-token")
                .payload(Map.of("smtpSettings", Map.of("password", "audit nested pw", "server", "relay.example.com"),
                        "client_secret", "audit-client-secret", "note", "key test-key-0002")));
        String stored = audit.find("email", "channel.create", null, 50).stream()
                .filter(e -> "audit-structure-test".equals(e.targetId())).findFirst().orElseThrow().toString();
        for (String canary : new String[] {"audit-url-pw", "audit-bearer-token", "audit nested pw", "audit-client-secret",
                "test-key-0002"}) {
            assertThat(stored).as("audit item must not contain %s", canary).doesNotContain(canary);
        }
        assertThat(stored).contains("relay.example.com");
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void should_mask_by_structure_but_leave_urls_and_ordinary_words_alone() {
        assertThat(Secrets.mask("{\"clientSecret\":\"abc\",\"name\":\"x\"}")).isEqualTo("{\"clientSecret\":\"***\",\"name\":\"x\"}");
        assertThat(Secrets.mask("{\"password\": \"with spaces, and \\\"quotes\\\"\", \"port\": 25}"))
                .isEqualTo("{\"password\": \"***\", \"port\": 25}");
        assertThat(Secrets.mask("{\"access_token\":\"opaque-token-value\",\"token_type\":\"Bearer\"}"))
                .isEqualTo("{\"access_token\":\"***\",\"token_type\":\"Bearer\"}");
        assertThat(Secrets.mask("api_key=abc&x=1")).isEqualTo("api_key=***&x=1");
        assertThat(Secrets.mask("X-API-Key: abc")).isEqualTo("X-API-Key: ***");
        assertThat(Secrets.mask("Authorization: Basic dXNlcjpwYXNz")).isEqualTo("Authorization: Basic ***");
        assertThat(Secrets.mask("GET https://user:pw@example.com/x")).isEqualTo("GET https://***@example.com/x");
        assertThat(Secrets.mask("tokenUrl=https://login.example.com/oauth/token")).isEqualTo("tokenUrl=https://login.example.com/oauth/token");
        assertThat(Secrets.mask("ERROR event evt-1 password reset requested")).isEqualTo("ERROR event evt-1 password reset requested");
        assertThat(Secrets.isSecretKey("smtpPassword")).isTrue();
        assertThat(Secrets.isSecretKey("client-secret")).isTrue();
        assertThat(Secrets.isSecretKey("token_url")).isFalse();
        assertThat(Secrets.isSecretKey("name")).isFalse();
    }
}
