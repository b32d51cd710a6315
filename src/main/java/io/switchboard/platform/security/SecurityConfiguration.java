package io.switchboard.platform.security;

import io.switchboard.platform.config.SwitchboardProperties;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API keys of {@code switchboard.api-keys} and the brute-force brake of {@code switchboard.auth.*}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    @Bean
    public ApiKeys apiKeys(SwitchboardProperties properties) {
        return ApiKeys.parse(properties.apiKeys());
    }

    @Bean
    public LoginThrottle loginThrottle(SecurityProperties properties, Clock clock) {
        return new LoginThrottle(properties.maxFailuresPerMinute(), clock);
    }
}
