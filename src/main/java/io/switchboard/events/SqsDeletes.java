package io.switchboard.events;

import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.spi.Synchronization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Deletes consumed SQS messages ten at a time ({@code DeleteMessageBatch}) instead of one call per message. A
 * message joins the batch only when its exchange completes successfully, that is after its event was committed
 * (or dead-lettered, or found to be a duplicate); the batch goes out when it has ten, when the last message of
 * a poll is done, or at the latest {@link #flushStragglers() a moment later}. A crash before the delete only
 * means SQS hands the message out again and it is recognised as a duplicate.
 */
@Component
public class SqsDeletes {

    private static final Logger LOG = LoggerFactory.getLogger(SqsDeletes.class);
    private static final int BATCH = 10;

    private final SqsClient sqs;
    private final String queueName;
    private final ConcurrentLinkedQueue<String> receipts = new ConcurrentLinkedQueue<>();
    private volatile String queueUrl;

    public SqsDeletes(SqsClient sqs, @Value("${events.queue}") String queueName) {
        this.sqs = sqs;
        this.queueName = queueName;
    }

    /** Route step, first of the consumer: delete this message once its exchange has completed successfully. */
    public void deleteOnCompletion(Exchange exchange) {
        String receipt = exchange.getIn().getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
        boolean lastOfPoll = exchange.getProperty(ExchangePropertyKey.BATCH_COMPLETE, false, Boolean.class);
        exchange.getExchangeExtension().addOnCompletion(new Synchronization() {
            @Override
            public void onComplete(Exchange done) {
                receipts.add(receipt);
                if (lastOfPoll || receipts.size() >= BATCH) {
                    flush();
                }
            }

            @Override
            public void onFailure(Exchange failed) {
                // not deleted: SQS hands it out again after the visibility timeout
            }
        });
    }

    /** Timer step (and on shutdown): deletes what waits for a full batch that did not come. */
    @PreDestroy
    public void flushStragglers() {
        if (!receipts.isEmpty()) {
            flush();
        }
    }

    private void flush() {
        List<String> batch = new ArrayList<>(BATCH);
        String receipt;
        while ((receipt = receipts.poll()) != null) {
            batch.add(receipt);
            if (batch.size() == BATCH) {
                delete(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty()) {
            delete(batch);
        }
    }

    private void delete(List<String> batch) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(batch.get(i))
                    .build());
        }
        try {
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl()).entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                LOG.warn("SQS did not delete {} consumed message(s) ({}); they will come again and be recognised as"
                        + " duplicates", response.failed().size(), response.failed().get(0).message());
            }
        } catch (RuntimeException e) {
            LOG.warn("Deleting {} consumed SQS message(s) failed ({}); they will come again and be recognised as"
                    + " duplicates", batch.size(), e.toString());
        }
    }

    private String queueUrl() {
        if (queueUrl == null) {
            queueUrl = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        }
        return queueUrl;
    }
}
