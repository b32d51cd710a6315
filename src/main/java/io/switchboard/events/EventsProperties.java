package io.switchboard.events;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The event pipeline's settings ({@code events.*}; every key is commented in config/application.yaml).
 *
 * @param queue             SQS queue the consumer reads
 * @param consumers         concurrent SQS pollers
 * @param waitTimeSeconds   SQS long polling wait of each receive
 * @param visibilityTimeout seconds a received message stays hidden (covers validate + record only)
 * @param resequenceWindow  how long an event may wait for an earlier one of its interaction (0 with a FIFO queue)
 * @param sinkConcurrency   interactions with a request in flight per sink at most (one request each)
 * @param readAhead         pending deliveries a sink's reader holds in memory, at least
 * @param pollPeriod        how often a sink's reader looks in the store
 * @param sinkMaxAttempts   delivery attempts per sink before a dead letter
 * @param sinkInitialDelay  wait before the second attempt; doubles per attempt
 * @param sinkMaxDelay      longest wait between two attempts
 * @param retention         how long delivered events are kept (a re-sent one counts as a duplicate that long)
 * @param cleanupPeriod     how often expired events are deleted
 * @param nodeId            this instance's name, recorded with each event it records (blank = host name)
 * @param sinks             sink name → Camel endpoint URI (wired through routes/event-sinks.yaml)
 */
@Validated
@ConfigurationProperties("events")
public record EventsProperties(
        @NotBlank String queue,
        @Min(1) @Max(50) int consumers,
        @Min(0) @Max(20) int waitTimeSeconds,
        @Min(5) @Max(43200) int visibilityTimeout,
        @NotNull Duration resequenceWindow,
        @Min(1) @Max(1000) int sinkConcurrency,
        @Min(10) int readAhead,
        @NotNull Duration pollPeriod,
        @Min(1) @Max(20) int sinkMaxAttempts,
        @NotNull Duration sinkInitialDelay,
        @NotNull Duration sinkMaxDelay,
        @NotNull Duration retention,
        @NotNull Duration cleanupPeriod,
        String nodeId,
        @NotEmpty Map<String, String> sinks) {

    public EventsProperties {
        sinks = sinks == null ? Map.of() : new LinkedHashMap<>(sinks);
        for (String name : sinks.keySet()) {
            if (!name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
                throw new IllegalArgumentException("events.sinks." + name
                        + ": a sink name is 1-40 lower-case letters, digits and dashes (it names routes and metrics)");
            }
        }
        if (nodeId == null || nodeId.isBlank()) {
            nodeId = hostName();
        }
    }

    /**
     * Whether {@link #queue} is an SQS FIFO queue (its name ends in {@code .fifo}). Its message groups (one per
     * interaction) hand out an interaction's next event only once the previous one is recorded, so recording order
     * is the order to keep, and nothing needs to wait: the window is 0.
     */
    public boolean fifo() {
        return queue.endsWith(".fifo");
    }

    /** The window that applies: {@link #resequenceWindow}, or zero with a FIFO queue. */
    public Duration window() {
        return fifo() ? Duration.ZERO : resequenceWindow;
    }

    /** Sink names, in configuration order. */
    public List<String> sinkNames() {
        return List.copyOf(sinks.keySet());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnv = System.getenv("HOSTNAME");
            return fromEnv == null || fromEnv.isBlank() ? "switchboard" : fromEnv;
        }
    }
}
