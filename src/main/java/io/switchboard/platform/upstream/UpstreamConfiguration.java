package io.switchboard.platform.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
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
            Gauge.builder("switchboard.upstream.budget.available", budget, RequestBudget::available)
                    .tag("platform", platform.id()).register(meters);
            Gauge.builder("switchboard.upstream.budget.waiting", budget, RequestBudget::waiting)
                    .tag("platform", platform.id()).register(meters);
            Gauge.builder("switchboard.upstream.token.requests", tokens, OAuthTokenSource::requests)
                    .tag("platform", platform.id()).register(meters);
        }
        return new UpstreamGateway(platforms, json, clock, meters);
    }

    /** camel-http: timeouts on every call, TLS 1.2+, no redirects or retries of its own. */
    @Bean
    public ComponentCustomizer upstreamHttpComponent(UpstreamProperties properties) {
        return ComponentCustomizer.builder(HttpComponent.class).build(http -> {
            http.setConnectTimeout(properties.connectTimeout().toMillis());
            http.setConnectionRequestTimeout(properties.connectTimeout().toMillis());
            http.setResponseTimeout(properties.readTimeout().toMillis());
            http.setSoTimeout(properties.readTimeout().toMillis());
            http.setFollowRedirects(false);
            http.setAutomaticRetriesDisabled(true);
            http.setSslContextParameters(tlsContextParameters());
        });
    }

    static SSLContextParameters tlsContextParameters() {
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(TLS_PROTOCOLS);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setSecureSocketProtocols(protocols);
        return parameters;
    }

    static SSLParameters tlsParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(TLS_PROTOCOLS.toArray(String[]::new));
        return parameters;
    }
}
