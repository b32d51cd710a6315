package io.switchboard.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.config.AwsClientsConfiguration;
import io.switchboard.platform.config.AwsProperties;
import java.net.URI;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The target queue's policy, through the AWS SDK's SQS client: {@code GetQueueUrl}, {@code GetQueueAttributes}
 * (Policy) and, when the rule's grant is missing, {@code SetQueueAttributes} with the merged policy
 * ({@link QueuePolicy}). {@code aws.sqs-policy-endpoint} may point these calls somewhere else than the queues
 * Switchboard consumes (the sandbox's simulator: its embedded SQS server keeps no queue policy).
 */
@Component
public class QueuePolicies implements DisposableBean {

    /** What the policy step found and did. */
    public record Outcome(String status, String queueUrl) {
    }

    private final SqsClient sqs;
    private final boolean ownClient;
    private final QueuePolicy policy;

    public QueuePolicies(AwsProperties aws, SqsClient shared, ObjectMapper json) {
        if (aws.sqsPolicyEndpoint() != null && !aws.sqsPolicyEndpoint().isBlank()) {
            this.sqs = SqsClient.builder().region(Region.of(aws.region()))
                    .credentialsProvider(AwsClientsConfiguration.credentials(aws))
                    .endpointOverride(URI.create(aws.sqsPolicyEndpoint())).build();
            this.ownClient = true;
        } else {
            this.sqs = shared;
            this.ownClient = false;
        }
        this.policy = new QueuePolicy(json);
    }

    /** Is this ARN an SQS queue's? Only those get a queue policy. */
    public static boolean isQueue(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && parts[2].equals("sqs");
    }

    /** Grant the rule {@code sqs:SendMessage} on the queue, unless the queue's policy already does. */
    public Outcome grant(String queueArn, String ruleName, String ruleArn) {
        String[] parts = queueArn.split(":", 6);
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl();
        String current = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.POLICY))
                .attributes().get(QueueAttributeName.POLICY);
        Optional<String> merged = policy.merged(current, queueArn, ruleName, ruleArn);
        if (merged.isEmpty()) {
            return new Outcome("existing", queueUrl);
        }
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(java.util.Map.of(QueueAttributeName.POLICY, merged.get())));
        return new Outcome(current == null || current.isBlank() ? "created" : "merged", queueUrl);
    }

    @Override
    public void destroy() {
        if (ownClient) {
            sqs.close();
        }
    }
}
