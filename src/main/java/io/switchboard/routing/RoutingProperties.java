package io.switchboard.routing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the interaction routing rules workflow ({@code routing.*}).
 *
 * @param maxConditions    conditions allowed in one routing rule (default 10; docs/api.md#routing-rules)
 * @param maxFallbackDepth fallback rules Switchboard fetches, at most, to prove a rule's fallback chain
 *                         ends without a cycle; a longer chain is refused because it cannot be checked
 * @param updateAttempts   GET-then-PUT rounds of one update, the first included, while CXone answers
 *                         412 Precondition Failed (someone else changed the rule); then 409
 */
@Validated
@ConfigurationProperties("routing")
public record RoutingProperties(
        @DefaultValue("10") @Min(0) int maxConditions,
        @DefaultValue("32") @Min(1) @Max(1000) int maxFallbackDepth,
        @DefaultValue("3") @Min(1) @Max(20) int updateAttempts) {
}
