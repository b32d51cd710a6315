package io.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * POST /api/email/smtp-test: the dry-run rules, and with ?probe=true a live SMTP session
 * against real SMTP servers in this JVM (plain, STARTTLS, implicit TLS, AUTH), reached through
 * email.probe.connect-to under the names and ports a relay really has.
 */
class SmtpTesterTest extends IntegrationTestBase {

    private static final TestSmtpServers SERVERS = new TestSmtpServers();

    @DynamicPropertySource
    static void relays(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("smtp-probe-test");
        TestPki pki = new TestPki("Switchboard Test CA");
        TestPki stranger = new TestPki("Someone Else's CA");
        List<String> connectTo = new ArrayList<>();
        int plain = SERVERS.plain();
        connectTo.add("smtp.plain.test:25=127.0.0.1:" + plain);
        connectTo.add("smtp.no-starttls.test:587=127.0.0.1:" + plain);
        connectTo.add("smtp.starttls.test:587=127.0.0.1:" + SERVERS.startTls(pki.serverContext("smtp.starttls.test")));
        int smtps = SERVERS.implicitTls(pki.serverContext("smtps.test"));
        connectTo.add("smtps.test:465=127.0.0.1:" + smtps);
        connectTo.add("smtps.wrong-name.test:465=127.0.0.1:" + smtps);
        connectTo.add("smtps.untrusted.test:465=127.0.0.1:"
                + SERVERS.implicitTls(stranger.serverContext("smtps.untrusted.test")));
        connectTo.add("smtp.tls-required.test:25=127.0.0.1:"
                + SERVERS.requiresTls(pki.serverContext("smtp.tls-required.test")));
        connectTo.add("smtp.busy.test:25=127.0.0.1:" + SERVERS.rejecting(421, "4.3.2 Service not available, try later"));
        connectTo.add("smtp.denied.test:25=127.0.0.1:" + SERVERS.rejecting(554, "5.7.1 Client host rejected: access denied"));
        connectTo.add("smtp.silent.test:25=127.0.0.1:" + SERVERS.silent());
        connectTo.add("smtp.refused.test:25=127.0.0.1:" + TestSmtpServers.closedPort());
        String trustStore = pki.trustStore(dir).toString();
        registry.add("email.probe.trust-store", () -> trustStore);
        registry.add("email.probe.trust-store-password", () -> TestPki.TRUST_STORE_PASSWORD);
        registry.add("email.probe.read-timeout", () -> "PT1S");
        registry.add("email.probe.connect-to", () -> String.join(",", connectTo));
        registry.add("email.probe.allowed-networks", () -> "127.0.0.0/8"); // the test relays listen on loopback
    }

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    private JsonNode probe(String server, int port, boolean tls, boolean credentials) {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("server", server);
        request.put("port", port);
        request.put("tlsEnabled", tls);
        if (credentials) {
            request.put("username", TestSmtpServers.USER);
            request.put("password", TestSmtpServers.PASSWORD);
        }
        Api.Response response = api.post("/api/email/smtp-test?probe=true", Api.json(request));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(TestSmtpServers.PASSWORD);
        assertThat(response.json().path("valid").asBoolean()).isTrue();
        return response.json().path("probe");
    }

    private static List<Integer> codes(JsonNode probe) {
        List<Integer> codes = new ArrayList<>();
        probe.path("replyCodes").forEach(code -> codes.add(code.asInt()));
        return codes;
    }

    // ------------------------------------------------------------------ dry run (docs/api.md#post-apiemailsmtp-test)

    @Test
    void should_accept_valid_settings_with_a_preview_and_no_password() {
        Api.Response response = api.post("/api/email/smtp-test", """
                {"server":"smtp.relay.example.com","port":587,"username":"api-user",
                 "password":"dry-run-canary-secret","tlsEnabled":true}""");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("valid").asBoolean()).isTrue();
        assertThat(body.has("probe")).isFalse();
        JsonNode preview = body.path("metadata").path("payloadPreview");
        assertThat(preview.path("type").asText()).isEqualTo("smtp");
        assertThat(preview.path("name").asText()).startsWith("test-channel-");
        assertThat(preview.path("smtpSettings").path("server").asText()).isEqualTo("smtp.relay.example.com");
        assertThat(preview.path("smtpSettings").path("port").asInt()).isEqualTo(587);
        assertThat(preview.path("smtpSettings").path("password").asText()).isEqualTo("***");
        assertThat(preview.path("smtpSettings").path("timeoutMs").asInt()).isEqualTo(15000);
        assertThat(body.path("metadata").path("validationTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(response.body()).doesNotContain("dry-run-canary-secret");
    }

    @Test
    void should_list_every_broken_rule_with_valid_false() {
        Api.Response response = api.post("/api/email/smtp-test", "{\"port\":10,\"tlsEnabled\":true}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.path("valid").asBoolean(true)).isFalse();
        assertThat(body.path("errors").findValuesAsText("message")).containsExactly(
                "server endpoint is required", "port must be between 25 and 1024", "TLS requires port 465 or 587");
        assertThat(body.path("errors").findValuesAsText("field")).containsExactly("server", "port", "tlsEnabled");
    }

    @Test
    void should_refuse_tls_on_port_25_and_a_url_as_server() {
        Api.Response response = api.post("/api/email/smtp-test",
                "{\"server\":\"https://smtp.example.com\",\"port\":25,\"tlsEnabled\":true}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("server", "tlsEnabled");
    }

    @Test
    void should_answer_a_body_of_the_wrong_shape_with_400_and_valid_false() {
        Api.Response response = api.post("/api/email/smtp-test", "{\"server\":\"smtp.example.com\",\"port\":\"25\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("valid").asBoolean(true)).isFalse();
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("port");
    }

    @Test
    void should_not_probe_settings_that_break_the_rules() {
        Api.Response response = api.post("/api/email/smtp-test?probe=true",
                "{\"server\":\"smtp.refused.test\",\"port\":2525}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().has("probe")).isFalse();
    }

    // ------------------------------------------------------------------ live probe

    @Test
    void should_probe_a_plain_relay_with_auth() {
        JsonNode probe = probe("smtp.plain.test", 25, false, true);

        assertThat(probe.path("success").asBoolean()).as(probe.toString()).isTrue();
        assertThat(probe.path("security").asText()).isEqualTo("none");
        assertThat(codes(probe)).containsExactly(220, 250, 334, 235, 221);
        assertThat(probe.path("extensions").findValuesAsText("")).isEmpty();
        assertThat(probe.path("extensions").toString()).contains("AUTH");
        assertThat(probe.path("authMechanism").asText()).isEqualTo("PLAIN");
        assertThat(probe.has("tlsProtocol")).isFalse();
        assertThat(probe.path("latencyMs").isNumber()).isTrue();
        assertThat(probe.path("transcript").findValuesAsText("command"))
                .containsExactly("(connect)", "EHLO switchboard.local", "AUTH PLAIN", "QUIT");
    }

    @Test
    void should_upgrade_with_starttls_on_587_and_authenticate_after_it() {
        JsonNode probe = probe("smtp.starttls.test", 587, true, true);

        assertThat(probe.path("success").asBoolean()).as(probe.toString()).isTrue();
        assertThat(probe.path("security").asText()).isEqualTo("starttls");
        assertThat(probe.path("tlsProtocol").asText()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(probe.path("tlsCipherSuite").asText()).startsWith("TLS_");
        assertThat(codes(probe)).containsExactly(220, 250, 220, 250, 334, 235, 221);
        assertThat(probe.path("transcript").findValuesAsText("command")).containsExactly(
                "(connect)", "EHLO switchboard.local", "STARTTLS", "EHLO switchboard.local", "AUTH PLAIN", "QUIT");
        assertThat(probe.path("extensions").toString()).contains("AUTH");
    }

    @Test
    void should_speak_implicit_tls_on_465() {
        JsonNode probe = probe("smtps.test", 465, true, true);

        assertThat(probe.path("success").asBoolean()).as(probe.toString()).isTrue();
        assertThat(probe.path("security").asText()).isEqualTo("implicit-tls");
        assertThat(probe.path("tlsProtocol").asText()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(codes(probe)).containsExactly(220, 250, 334, 235, 221);
        assertThat(probe.path("connectedTo").asText()).startsWith("127.0.0.1:");
    }

    @Test
    void should_report_refused_credentials_as_535() {
        Api.Response response = api.post("/api/email/smtp-test?probe=true", """
                {"server":"smtp.plain.test","port":25,"username":"relay-user","password":"wrong-canary-password"}""");

        assertThat(response.status()).isEqualTo(200);
        JsonNode probe = response.json().path("probe");
        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("auth");
        assertThat(codes(probe)).contains(535);
        assertThat(probe.path("error").asText()).contains("535");
        assertThat(response.body()).doesNotContain("wrong-canary-password");
    }

    @Test
    void should_report_530_when_the_relay_wants_starttls_before_auth() {
        JsonNode probe = probe("smtp.tls-required.test", 25, false, true);

        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("auth");
        assertThat(codes(probe)).contains(530);
        assertThat(probe.path("extensions").toString()).contains("STARTTLS");
    }

    @Test
    void should_report_a_421_greeting() {
        JsonNode probe = probe("smtp.busy.test", 25, false, false);

        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("greeting");
        assertThat(codes(probe)).containsExactly(421);
        assertThat(probe.path("error").asText()).contains("421", "Service not available");
    }

    @Test
    void should_report_a_554_access_denied_greeting() {
        JsonNode probe = probe("smtp.denied.test", 25, false, false);

        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("greeting");
        assertThat(codes(probe)).containsExactly(554);
        assertThat(probe.path("error").asText()).contains("554", "access denied");
    }

    @Test
    void should_report_a_refused_connection() {
        JsonNode probe = probe("smtp.refused.test", 25, false, false);

        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("connect");
        assertThat(probe.path("error").asText()).contains("connection refused");
        assertThat(codes(probe)).isEmpty();
    }

    @Test
    void should_report_a_relay_that_never_answers_as_a_timeout() {
        JsonNode probe = probe("smtp.silent.test", 25, false, false);

        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("greeting");
        assertThat(probe.path("error").asText()).contains("timed out after 1000 ms");
    }

    @Test
    void should_report_an_untrusted_certificate_as_a_tls_failure() {
        JsonNode probe = probe("smtps.untrusted.test", 465, true, true);

        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("tls");
        assertThat(probe.path("error").asText()).startsWith("TLS handshake failed").containsIgnoringCase("certification path");
        assertThat(probe.has("authMechanism")).isFalse();
    }

    @Test
    void should_check_the_certificate_against_the_relay_name_asked_for() {
        JsonNode probe = probe("smtps.wrong-name.test", 465, true, false);

        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("tls");
        assertThat(probe.path("error").asText()).contains("smtps.wrong-name.test");
    }

    @Test
    void should_report_a_relay_that_offers_no_starttls_on_587() {
        JsonNode probe = probe("smtp.no-starttls.test", 587, true, true);

        assertThat(probe.path("success").asBoolean()).isFalse();
        assertThat(probe.path("failedStep").asText()).isEqualTo("starttls");
        assertThat(probe.path("error").asText()).contains("does not offer STARTTLS");
        assertThat(probe.path("extensions").toString()).doesNotContain("STARTTLS");
        assertThat(probe.has("authMechanism")).isFalse();
    }
}
