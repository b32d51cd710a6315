package io.switchboard.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * AWS settings ({@code aws.*}). Without an endpoint override the SDK talks to real AWS with the
 * default credential chain; sandbox mode points the endpoints at its embedded servers and uses
 * static dummy credentials.
 *
 * @param region              AWS region
 * @param endpoint            optional endpoint override for SQS (and EventBridge unless overridden below)
 * @param eventbridgeEndpoint optional endpoint override for EventBridge alone
 * @param accessKeyId         static credentials (sandbox only); blank means the default chain
 * @param secretAccessKey     static credentials (sandbox only)
 * @param sqsPolicyEndpoint   optional SQS endpoint for the queue-policy calls of a subscription alone
 *                            (GetQueueUrl, Get/SetQueueAttributes); blank means the SQS endpoint
 */
@ConfigurationProperties("aws")
public record AwsProperties(String region, String endpoint, String eventbridgeEndpoint,
                            String accessKeyId, String secretAccessKey, String sqsPolicyEndpoint) {

    public String effectiveEventbridgeEndpoint() {
        return eventbridgeEndpoint != null && !eventbridgeEndpoint.isBlank() ? eventbridgeEndpoint : endpoint;
    }
}
