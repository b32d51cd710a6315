package io.switchboard.events;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Deletes a receive's SQS messages, once their events are committed, with one {@code DeleteMessageBatch} call. A
 * crash before the delete only means SQS hands the messages out again and they are recognised as duplicates.
 */
@Component
public class SqsDeletes {

    private static final Logger LOG = LoggerFactory.getLogger(SqsDeletes.class);

    private final SqsClient sqs;
    private final String queueName;
    private volatile String queueUrl;

    public SqsDeletes(SqsClient sqs, @Value("${events.queue}") String queueName) {
        this.sqs = sqs;
        this.queueName = queueName;
    }

    /** Route step, once a receive's events (at most ten: one batch) are committed: delete its messages. */
    public void deleteAll(@Body List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (Message message : messages) {
            String receipt = message.getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
            if (receipt != null) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id("m" + entries.size()).receiptHandle(receipt)
                        .build());
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        try {
            if (queueUrl == null) {
                queueUrl = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
            }
            var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                LOG.warn("SQS did not delete {} consumed message(s) ({}); they will come again as duplicates",
                        response.failed().size(), response.failed().get(0).message());
            }
        } catch (RuntimeException e) {
            LOG.warn("Deleting {} consumed SQS message(s) failed ({}); they will come again as duplicates",
                    entries.size(), e.toString());
        }
    }

    /** Route step, once one message's event is committed: delete that message. */
    public void deleteOne(Message message) {
        deleteAll(List.of(message));
    }
}
