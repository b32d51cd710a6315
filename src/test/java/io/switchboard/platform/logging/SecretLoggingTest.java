package io.switchboard.platform.logging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.test.IntegrationTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Canary secrets travel through calls, failures, audit and dead letters; none reaches a log line. */
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
        // careless log statements are masked as a last line of defence
        Secrets.register("runtime-canary-smtp-password");
        LOG.info("connecting with runtime-canary-smtp-password to relay");
        LOG.info("Authorization: Bearer bearer-canary-token, client_secret=form-canary-secret");
        LOG.warn("failed", new IllegalStateException("login failed for password=exception-canary-pw"));

        assertThat(output.getAll()).contains("connecting with *** to relay", "login failed for password=***");
        for (String canary : new String[] {"cxone-canary-secret-3141", "genesys-canary-secret-2718", "body-canary-pw",
                "test-key-0001", "audit-canary-pw", "dl-canary-pw", "dl-canary-token", "runtime-canary-smtp-password",
                "bearer-canary-token", "form-canary-secret", "exception-canary-pw"}) {
            assertThat(output.getAll()).as("log output must not contain %s", canary).doesNotContain(canary);
        }
    }

    @Test
    void should_mask_assignments_and_known_values_but_leave_urls_alone() {
        Secrets.register("s3cr3t-value");
        assertThat(Secrets.mask("user s3cr3t-value")).isEqualTo("user ***");
        assertThat(Secrets.mask("{\"clientSecret\":\"abc\",\"name\":\"x\"}")).isEqualTo("{\"clientSecret\":\"***\",\"name\":\"x\"}");
        assertThat(Secrets.mask("api_key=abc&x=1")).isEqualTo("api_key=***&x=1");
        assertThat(Secrets.mask("tokenUrl=https://login.example.com/oauth/token")).isEqualTo("tokenUrl=https://login.example.com/oauth/token");
        assertThat(Secrets.isSecretKey("smtpPassword")).isTrue();
        assertThat(Secrets.isSecretKey("client-secret")).isTrue();
        assertThat(Secrets.isSecretKey("token_url")).isFalse();
        assertThat(Secrets.isSecretKey("name")).isFalse();
    }
}
