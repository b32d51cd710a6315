package io.switchboard.platform.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.switchboard.platform.config.PlatformSettings;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token cache of one platform, against a WireMock token endpoint and a clock the test moves. */
class OAuthTokenSourceTest {

    private WireMockServer server;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-31T12:00:00Z"));
    private OAuthTokenSource tokens;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        PlatformSettings settings = new PlatformSettings("cxone", "CXone");
        settings.setTokenUrl("http://127.0.0.1:" + server.port() + "/oauth/token");
        settings.setClientId("client");
        settings.setClientSecret("s3cr3t&=+");
        tokens = new OAuthTokenSource(settings, HttpClient.newHttpClient(), Duration.ofSeconds(5), new ObjectMapper(), clock);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private void tokenSequence(String... values) {
        String state = Scenario.STARTED;
        for (int i = 0; i < values.length; i++) {
            String next = "token-" + (i + 1);
            server.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs(state)
                    .willSetStateTo(next).willReturn(aResponse().withStatus(200)
                            .withBody("{\"access_token\":\"" + values[i] + "\",\"expires_in\":3600}")));
            state = next;
        }
    }

    @Test
    void should_cache_the_token_until_shortly_before_it_expires() throws Exception {
        tokenSequence("first", "second");

        assertThat(tokens.token()).isEqualTo("first");
        clock.advance(Duration.ofMinutes(58));
        assertThat(tokens.token()).isEqualTo("first");
        clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // inside the last minute of 3600 s
        assertThat(tokens.token()).isEqualTo("second");
        assertThat(tokens.requests()).isEqualTo(2);
    }

    @Test
    void should_fetch_again_after_a_rejection_but_ignore_a_stale_rejection() throws Exception {
        tokenSequence("first", "second");

        assertThat(tokens.token()).isEqualTo("first");
        tokens.reject("first");
        assertThat(tokens.token()).isEqualTo("second");
        tokens.reject("first"); // a late 401 for the old token must not throw away the new one
        assertThat(tokens.token()).isEqualTo("second");
        server.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void should_send_a_standard_form_encoded_request() throws Exception {
        tokenSequence("first");

        tokens.token();

        var request = server.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).get(0);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.getBodyAsString())
                .isEqualTo("grant_type=client_credentials&client_id=client&client_secret=s3cr3t%26%3D%2B");
    }

    @Test
    void should_explain_a_refused_token_request_without_the_secret() {
        server.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"unknown client\"}")));

        assertThatThrownBy(tokens::token).isInstanceOf(UpstreamException.class)
                .hasMessage("CXone token endpoint answered 401: invalid_client unknown client")
                .hasMessageNotContaining("s3cr3t");
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
