package io.switchboard.platform.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.config.PlatformSettings;
import io.switchboard.platform.config.UpstreamProperties;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.client5.http.socket.PlainConnectionSocketFactory;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactory;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the upstream mechanism: per-platform token caches and budgets, retry policy, HTTP client. */
@Configuration(proxyBeanMethods = false)
public class UpstreamConfiguration {

    /** Only TLS 1.3 and 1.2, the system trust store, never trust-all. */
    static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public UpstreamRetryPolicy upstreamRetryPolicy(UpstreamProperties properties, Clock clock) {
        return new UpstreamRetryPolicy(properties, clock);
    }

    @Bean
    public UpstreamGateway upstreamGateway(List<PlatformSettings> settings, UpstreamProperties properties,
                                           @Value("${upstream.rate-limit-window:PT60S}") Duration window,
                                           ObjectMapper json, Clock clock, MeterRegistry meters) {
        HttpClient tokenClient = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .sslParameters(tlsParameters())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        Map<String, UpstreamPlatform> platforms = new LinkedHashMap<>();
        for (PlatformSettings platform : settings) {
            RequestBudget budget = new RequestBudget(platform.id(), platform.getRateLimitPerMinute(), window);
            OAuthTokenSource tokens = new OAuthTokenSource(platform, tokenClient, properties.readTimeout(), json, clock);
            platforms.put(platform.id(), new UpstreamPlatform(platform, tokens, budget));
            registerMeters(platform.id(), budget, tokens, meters);
        }
        return new UpstreamGateway(platforms, json, clock, meters);
    }

    /**
     * The platform's budget and token meters (README "Metrics"). Token requests are a monotonic count, so a
     * counter ({@code switchboard_upstream_token_requests_total}); the token's expiry is a timestamp in seconds.
     */
    static void registerMeters(String platform, RequestBudget budget, OAuthTokenSource tokens, MeterRegistry meters) {
        Gauge.builder("switchboard.upstream.budget.limit", budget, RequestBudget::limit)
                .description("Calls allowed in any rate-limit window").tag("platform", platform).register(meters);
        Gauge.builder("switchboard.upstream.budget.available", budget, RequestBudget::available)
                .description("Calls that may start now without waiting").tag("platform", platform).register(meters);
        Gauge.builder("switchboard.upstream.budget.used.ratio", budget,
                        b -> b.limit() == 0 ? 0 : (double) (b.limit() - b.available()) / b.limit())
                .description("Share of the budget used in the current window, 0-1").tag("platform", platform)
                .register(meters);
        Gauge.builder("switchboard.upstream.budget.waiting", budget, RequestBudget::waiting)
                .description("Calls waiting for the budget").tag("platform", platform).register(meters);
        FunctionCounter.builder("switchboard.upstream.token.requests", tokens, t -> t.requests() - t.failures())
                .description("OAuth2 token requests").tags("platform", platform, "outcome", "success")
                .register(meters);
        FunctionCounter.builder("switchboard.upstream.token.requests", tokens, OAuthTokenSource::failures)
                .description("OAuth2 token requests").tags("platform", platform, "outcome", "failure")
                .register(meters);
        Gauge.builder("switchboard.upstream.token.expiry.timestamp", tokens, OAuthTokenSource::validUntilEpochSeconds)
                .description("When the cached access token expires (epoch seconds; 0 = none cached)")
                .baseUnit("seconds").tag("platform", platform).register(meters);
    }

    /**
     * camel-http: timeouts on every call, TLS 1.2+, no redirects or retries of its own.
     *
     * <p>TLS is set on the shared connection pool, not as the component's {@code sslContextParameters}: with
     * those, camel-http turns every {@code http://} endpoint URI into {@code https://} (it treats any endpoint
     * with SSL parameters as secure), so a plain-HTTP event sink or webhook would be called with TLS and hang.
     */
    @Bean
    public ComponentCustomizer upstreamHttpComponent(UpstreamProperties properties,
                                                     HttpClientConnectionManager httpConnections) {
        return ComponentCustomizer.builder(HttpComponent.class).build(http -> {
            http.setConnectTimeout(properties.connectTimeout().toMillis());
            http.setConnectionRequestTimeout(properties.connectTimeout().toMillis());
            http.setResponseTimeout(properties.readTimeout().toMillis());
            http.setSoTimeout(properties.readTimeout().toMillis());
            http.setFollowRedirects(false);
            http.setAutomaticRetriesDisabled(true);
            http.setClientConnectionManager(httpConnections);
        });
    }

    /** The connection pool of every camel-http endpoint: plain http, or https with TLS 1.3/1.2 only. */
    @Bean(destroyMethod = "close")
    public PoolingHttpClientConnectionManager httpConnections(UpstreamProperties properties) {
        Registry<ConnectionSocketFactory> schemes = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", new SSLConnectionSocketFactory(SSLContexts.createSystemDefault(),
                        TLS_PROTOCOLS.toArray(String[]::new), null, new DefaultHostnameVerifier()))
                .build();
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(schemes);
        pool.setMaxTotal(200);
        pool.setDefaultMaxPerRoute(20);
        pool.setDefaultSocketConfig(SocketConfig.custom()
                .setSoTimeout(Timeout.ofMilliseconds(properties.readTimeout().toMillis())).build());
        pool.setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(properties.connectTimeout().toMillis()))
                .setSocketTimeout(Timeout.ofMilliseconds(properties.readTimeout().toMillis())).build());
        return pool;
    }

    static SSLParameters tlsParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(TLS_PROTOCOLS.toArray(String[]::new));
        return parameters;
    }
}
