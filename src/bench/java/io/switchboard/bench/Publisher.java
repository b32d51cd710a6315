package io.switchboard.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends a feed's messages at a steady rate, one SendMessage each (as EventBridge delivers to SQS), from a pool of
 * senders; each event's latency clock starts just before its send. Runs on its own thread until the feed is sent
 * or {@link #stop()} is called.
 */
final class Publisher implements AutoCloseable {

    private final SqsClient sqs;
    private final String queueUrl;
    private final EventFeed feed;
    private final DeliveryLedger ledger;
    private final double rate;
    private final ExecutorService senders = Executors.newFixedThreadPool(8);
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread pacer;
    private volatile boolean stopped;
    private volatile long startedAt;

    private Publisher(SqsClient sqs, String queueUrl, EventFeed feed, DeliveryLedger ledger, double rate) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.feed = feed;
        this.ledger = ledger;
        this.rate = rate;
        this.pacer = new Thread(this::pace, "bench-publisher");
    }

    static Publisher start(SqsClient sqs, String queueUrl, EventFeed feed, DeliveryLedger ledger, double rate) {
        Publisher publisher = new Publisher(sqs, queueUrl, feed, ledger, rate);
        publisher.startedAt = System.nanoTime();
        publisher.pacer.start();
        return publisher;
    }

    long startedAt() {
        return startedAt;
    }

    /** Messages handed to SQS so far. */
    int sent() {
        return sent.get();
    }

    int failures() {
        return failures.get();
    }

    private void pace() {
        try {
            for (int i = 0; i < feed.messages() && !stopped; i++) {
                long wait = startedAt + (long) (i * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int message = i;
                senders.execute(() -> send(message));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(int message) {
        try {
            ledger.sent(feed.eventAt(message), System.nanoTime());
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(feed.message(message)));
            sent.incrementAndGet();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
        }
    }

    /** Waits until every message is sent (or the publisher was stopped). */
    void join() throws InterruptedException {
        pacer.join();
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.MINUTES);
    }

    /** Sends no more messages. */
    void stop() throws InterruptedException {
        stopped = true;
        join();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
