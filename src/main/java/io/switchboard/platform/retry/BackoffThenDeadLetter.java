package io.switchboard.platform.retry;

import io.switchboard.platform.upstream.UpstreamRetryPolicy;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.support.PredicateToExpressionAdapter;

/**
 * "Exponential backoff, then a dead letter": the error handler of every route that works through queued
 * work (email retries, Data Actions callbacks, event deliveries). One policy, configured per use:
 *
 * <pre>
 * from(queue).routeId("email-retry")
 *         .errorHandler(BackoffThenDeadLetter.backoff(retry.initialDelay(), retry.maxDelay(), retry.maxAttempts())
 *                 .retryWhile(method(deliveryRetry, "shouldRetry"))        // optional: which failures are worth another try
 *                 .honourRetryAfter(upstream.maxRetryAfter())              // optional: an upstream's Retry-After beats the backoff
 *                 .onFailedAttempt(deliveryRetry::attemptFailed)           // optional: audit / count each failed attempt
 *                 .toDeadLetter("direct:email-retry-exhausted"))
 * </pre>
 *
 * What every use gets:
 * <ul>
 *   <li>at most {@code maxAttempts} attempts in all, the first included;</li>
 *   <li>waits from {@code initialDelay}, doubling up to {@code maxDelay}, each varied by ±15 % so that
 *       failures from one outage do not come back in step;</li>
 *   <li>waits off the consumer thread ({@code asyncDelayedRedelivery});</li>
 *   <li>the dead letter receives the message as it arrived ({@link #lastMessageToDeadLetter} to change it);</li>
 *   <li>if the dead-letter step itself fails, the exchange fails (the message is not silently dropped);</li>
 *   <li>no log line per retry or on exhaustion by Camel (the workflow's own audit and log say it better),
 *       unless {@link #logRetries} asks for one.</li>
 * </ul>
 * With {@link #honourRetryAfter}, a failure carrying a Retry-After (an {@code UpstreamException} from
 * {@code direct:cxone} or {@code direct:genesys}) is retried exactly after it; one longer than the given
 * limit is not waited out and goes to the dead letter at once. See docs/decisions/0003-retry-after-beats-backoff.md.
 */
public final class BackoffThenDeadLetter {

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final int maxAttempts;
    private Predicate retryWhile;
    private Processor onFailedAttempt;
    private Processor onDeadLetter;
    private Duration longestRetryAfter;
    private LoggingLevel retryLogLevel;
    private boolean originalMessage = true;
    private boolean retryWhileStopping = true;

    private BackoffThenDeadLetter(Duration initialDelay, Duration maxDelay, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.maxAttempts = maxAttempts;
    }

    /** Waits from {@code initialDelay} doubling to {@code maxDelay}; {@code maxAttempts} attempts in all. */
    public static BackoffThenDeadLetter backoff(Duration initialDelay, Duration maxDelay, int maxAttempts) {
        return new BackoffThenDeadLetter(initialDelay, maxDelay, maxAttempts);
    }

    /** Only failures this predicate accepts are retried (within the attempts); the others go to the dead letter at once. */
    public BackoffThenDeadLetter retryWhile(Predicate retryWhile) {
        this.retryWhile = retryWhile;
        return this;
    }

    /** Runs after every failed attempt, the last included, before any wait (the failure is {@link Exchange#EXCEPTION_CAUGHT}). */
    public BackoffThenDeadLetter onFailedAttempt(Processor onFailedAttempt) {
        this.onFailedAttempt = onFailedAttempt;
        return this;
    }

    /** Runs once, just before the exchange goes to the dead letter. */
    public BackoffThenDeadLetter onDeadLetter(Processor onDeadLetter) {
        this.onDeadLetter = onDeadLetter;
        return this;
    }

    /** Waits out an upstream's Retry-After instead of the backoff; one longer than {@code longest} ends the retries. */
    public BackoffThenDeadLetter honourRetryAfter(Duration longest) {
        this.longestRetryAfter = longest;
        return this;
    }

    /** Logs each retry at this level (Camel's own line). */
    public BackoffThenDeadLetter logRetries(LoggingLevel level) {
        this.retryLogLevel = level;
        return this;
    }

    /** The dead letter receives the message as the last attempt left it, not as it arrived. */
    public BackoffThenDeadLetter lastMessageToDeadLetter() {
        this.originalMessage = false;
        return this;
    }

    /** While the route stops, no further attempt is made: the exchange fails and its source keeps the message. */
    public BackoffThenDeadLetter noRetriesWhileStopping() {
        this.retryWhileStopping = false;
        return this;
    }

    /** The error handler, sending what is exhausted (or not retryable) to {@code deadLetterUri}. */
    public DeadLetterChannelBuilder toDeadLetter(String deadLetterUri) {
        Predicate anotherAttempt = this::anotherAttempt;
        DeadLetterChannelBuilder channel = new DeadLetterChannelBuilder(deadLetterUri);
        channel.deadLetterHandleNewException(false)
                .maximumRedeliveries(maxAttempts - 1)
                .redeliveryDelay(initialDelay.toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(maxDelay.toMillis())
                .useCollisionAvoidance()
                .asyncDelayedRedelivery()
                .allowRedeliveryWhileStopping(retryWhileStopping)
                .logExhausted(false)
                .logStackTrace(false)
                .retryWhile(new PredicateToExpressionAdapter(anotherAttempt))
                .onExceptionOccurred(this::attemptFailed);
        if (retryLogLevel != null) {
            channel.retryAttemptedLogLevel(retryLogLevel);
        } else {
            channel.logRetryAttempted(false);
        }
        if (originalMessage) {
            channel.useOriginalMessage();
        }
        if (onDeadLetter != null) {
            channel.onPrepareFailure(onDeadLetter);
        }
        return channel;
    }

    /** retryWhile: attempts left, the failure worth another one, and no Retry-After beyond the limit. */
    private boolean anotherAttempt(Exchange exchange) {
        int attempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (attempts >= maxAttempts || (retryWhile != null && !retryWhile.matches(exchange))) {
            return false;
        }
        Duration retryAfter = retryAfter(exchange);
        return retryAfter == null || retryAfter.compareTo(longestRetryAfter) <= 0;
    }

    /** onExceptionOccurred (before Camel decides and waits): the caller's step, then the wait this failure asks for. */
    private void attemptFailed(Exchange exchange) throws Exception {
        if (onFailedAttempt != null) {
            onFailedAttempt.process(exchange);
        }
        Duration retryAfter = retryAfter(exchange);
        if (retryAfter != null && retryAfter.compareTo(longestRetryAfter) <= 0) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, retryAfter.toMillis());
        } else {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }

    /** The Retry-After of the failure on the exchange, when honoured; else null. */
    private Duration retryAfter(Exchange exchange) {
        if (longestRetryAfter == null) {
            return null;
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return UpstreamRetryPolicy.retryAfterOf(failure != null ? failure : exchange.getException());
    }
}
