package io.switchboard.platform.config;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The AWS SDK clients. Camel's aws2-sqs and aws2-eventbridge components pick them up by type
 * (autowiring), so every route talks to the same, configured endpoints.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    @Bean(destroyMethod = "close")
    public SqsClient sqsClient(AwsProperties aws) {
        var builder = SqsClient.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws));
        if (hasText(aws.endpoint())) {
            builder.endpointOverride(URI.create(aws.endpoint()));
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    public EventBridgeClient eventBridgeClient(AwsProperties aws) {
        var builder = EventBridgeClient.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws));
        String endpoint = aws.effectiveEventbridgeEndpoint();
        if (hasText(endpoint)) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /** Static credentials when both keys are set (the sandbox), else the SDK's default chain. */
    public static AwsCredentialsProvider credentials(AwsProperties aws) {
        if (hasText(aws.accessKeyId()) && hasText(aws.secretAccessKey())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
