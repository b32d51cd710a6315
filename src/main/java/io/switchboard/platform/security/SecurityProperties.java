package io.switchboard.platform.security;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the API door ({@code switchboard.auth.*}).
 *
 * @param maxFailuresPerMinute wrong API keys one client address may present within a minute; the next
 *                             request from it gets 429 with Retry-After until that minute is over
 */
@Validated
@ConfigurationProperties("switchboard.auth")
public record SecurityProperties(@Min(1) Integer maxFailuresPerMinute) {

    public SecurityProperties {
        maxFailuresPerMinute = maxFailuresPerMinute == null ? 10 : maxFailuresPerMinute;
    }
}
