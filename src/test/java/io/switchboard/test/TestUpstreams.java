package io.switchboard.test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One WireMock server per test JVM standing in for CXone ({@code /cxone}), Genesys Cloud
 * ({@code /genesys}), EventBridge ({@code /aws/eventbridge}) and SQS's queue-policy calls ({@code /aws/sqs}). Tests stub the real paths on it;
 * {@link #reset()} leaves only the two OAuth2 token endpoints.
 */
public final class TestUpstreams {

    private static WireMockServer server;

    private TestUpstreams() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40)
                    .gzipDisabled(true));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            reset();
        }
        return server;
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + server().port();
    }

    /** Drops every stub and recorded request, then stubs both token endpoints (expires_in 3600). */
    public static void reset() {
        WireMockServer wm = server();
        wm.resetAll();
        for (String platform : new String[] {"cxone", "genesys"}) {
            wm.stubFor(post(urlPathEqualTo("/" + platform + "/oauth/token"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody("{\"access_token\":\"test-token-" + platform
                                    + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        }
    }

    /** Points cxone.*, genesys.*, aws.eventbridge-endpoint and aws.sqs-policy-endpoint at the shared server. */
    public static void register(DynamicPropertyRegistry registry) {
        String base = baseUrl();
        registry.add("cxone.base-url", () -> base + "/cxone");
        registry.add("cxone.token-url", () -> base + "/cxone/oauth/token");
        registry.add("cxone.client-id", () -> "test-cxone");
        registry.add("cxone.client-secret", () -> "cxone-canary-secret-3141");
        registry.add("genesys.base-url", () -> base + "/genesys");
        registry.add("genesys.token-url", () -> base + "/genesys/oauth/token");
        registry.add("genesys.client-id", () -> "test-genesys");
        registry.add("genesys.client-secret", () -> "genesys-canary-secret-2718");
        registry.add("aws.eventbridge-endpoint", () -> base + "/aws/eventbridge");
        registry.add("aws.sqs-policy-endpoint", () -> base + "/aws/sqs");
    }
}
