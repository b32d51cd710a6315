package io.switchboard.subscriptions;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code POST /api/events/subscriptions} ({@code subscriptions.*}): the defaults of the EventBridge
 * target a subscription creates, when the body does not give them.
 *
 * @param deadLetterArn          SQS queue ARN where EventBridge puts events it could not deliver (blank: none
 *                               unless the body names one)
 * @param maximumEventAgeSeconds how long EventBridge keeps retrying one event (60 s to 24 h)
 * @param maximumRetryAttempts   how many times EventBridge retries one event (0 to 185)
 * @param genesysSourcePrefix    name prefix of Genesys Cloud's partner event sources in the AWS account
 */
@Validated
@ConfigurationProperties("subscriptions")
public record SubscriptionsProperties(
        @Pattern(regexp = "^$|^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:.+$", message = "must be an SQS queue ARN or empty")
        @DefaultValue("") String deadLetterArn,
        @Min(60) @Max(86400) @DefaultValue("86400") int maximumEventAgeSeconds,
        @Min(0) @Max(185) @DefaultValue("185") int maximumRetryAttempts,
        @DefaultValue("aws.partner/genesys.com") String genesysSourcePrefix) {
}
