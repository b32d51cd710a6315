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
import io.switchboard.test.MovableClock;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
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
        tokens = tokens("auto", null);
    }

    private OAuthTokenSource tokens(String method, String scopes) {
        PlatformSettings settings = new PlatformSettings("cxone", "CXone");
        settings.setTokenUrl("http://127.0.0.1:" + server.port() + "/oauth/token");
        settings.setClientId("client");
        settings.setClientSecret("s3cr3t&=+");
        settings.setTokenAuthMethod(method);
        settings.setScopes(scopes);
        return new OAuthTokenSource(settings, HttpClient.newHttpClient(), Duration.ofSeconds(5), new ObjectMapper(), clock);
    }

    /** Basic of "client" and the form-urlencoded secret "s3cr3t%26%3D%2B" (RFC 6749 §2.3.1). */
    static final String BASIC = "Basic " + java.util.Base64.getEncoder()
            .encodeToString("client:s3cr3t%26%3D%2B".getBytes(java.nio.charset.StandardCharsets.UTF_8));

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
    void should_authenticate_with_http_basic_by_default() throws Exception {
        tokenSequence("first");

        tokens.token();

        var request = server.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).get(0);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.getHeader("Authorization")).isEqualTo(BASIC);
        assertThat(request.getBodyAsString()).isEqualTo("grant_type=client_credentials");
        assertThat(tokens.authMethod()).isEqualTo("basic");
    }

    @Test
    void should_send_the_credentials_in_the_form_when_the_method_is_post() throws Exception {
        tokens = tokens("post", null);
        tokenSequence("first");

        assertThat(tokens.token()).isEqualTo("first");

        var request = server.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).get(0);
        assertThat(request.containsHeader("Authorization")).isFalse();
        assertThat(request.getBodyAsString())
                .isEqualTo("grant_type=client_credentials&client_id=client&client_secret=s3cr3t%26%3D%2B");
    }

    @Test
    void should_fall_back_to_the_form_once_on_invalid_client_and_keep_it() throws Exception {
        server.stubFor(post(urlPathEqualTo("/oauth/token")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching("Basic .*"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"}")));
        server.stubFor(post(urlPathEqualTo("/oauth/token")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("client_secret=s3cr3t"))
                .willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"via-form\",\"expires_in\":3600}")));

        assertThat(tokens.token()).isEqualTo("via-form");
        assertThat(tokens.authMethod()).isEqualTo("post");
        tokens.reject("via-form");
        assertThat(tokens.token()).isEqualTo("via-form");

        // Basic once, then the form for the first token and for the next one: Basic is not tried again
        assertThat(tokens.requests()).isEqualTo(3);
        server.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")).withHeader("Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.matching("Basic .*")));
    }

    @Test
    void should_not_fall_back_when_the_method_is_basic() {
        tokens = tokens("basic", null);
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_client\"}")));

        assertThatThrownBy(tokens::token).isInstanceOf(UpstreamException.class).hasMessageContaining("invalid_client");
        assertThat(tokens.requests()).isEqualTo(1);
    }

    @Test
    void should_ask_for_the_configured_scopes_space_separated() throws Exception {
        tokens = tokens("basic", "email:write, email:read  data-actions:write");
        tokenSequence("first");

        tokens.token();

        assertThat(server.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).get(0).getBodyAsString())
                .isEqualTo("grant_type=client_credentials&scope=email%3Awrite+email%3Aread+data-actions%3Awrite");
    }

    @Test
    void should_explain_a_refused_token_request_without_the_secret() {
        server.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"unknown client\"}")));

        assertThatThrownBy(tokens::token).isInstanceOf(UpstreamException.class)
                .hasMessage("CXone token endpoint answered 401: invalid_client unknown client")
                .hasMessageNotContaining("s3cr3t");
    }
}
