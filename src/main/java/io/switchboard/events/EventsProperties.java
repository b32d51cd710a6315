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
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The event pipeline's settings ({@code events.*}; every key is commented in config/application.yaml).
 *
 * @param queue              SQS queue the consumer reads
 * @param consumers          concurrent SQS pollers
 * @param waitTimeSeconds    SQS long polling wait of each receive
 * @param visibilityTimeout  seconds a received message stays hidden (covers validate + record only)
 * @param resequenceWindow   how long an event may be held to put its interaction's events in order
 * @param resequenceCapacity events held for ordering at most
 * @param sinkMaxAttempts    delivery attempts per sink before a dead letter
 * @param sinkInitialDelay   wait before the second attempt; doubles per attempt
 * @param sinkMaxDelay       longest wait between two attempts
 * @param sinkLanes          parallel delivery lanes per sink
 * @param laneCapacity       deliveries queued in memory per lane before it switches to its database backlog
 * @param retention          how long delivered events and idempotency keys are kept
 * @param cleanupPeriod      how often expired rows are deleted
 * @param nodeId             this instance's name in the event store (blank = host name)
 * @param nodeTimeout        an instance silent this long has its undelivered events adopted by another
 * @param sinks              sink name → Camel endpoint URI (wired through routes/event-sinks.yaml)
 */
@Validated
@ConfigurationProperties("events")
public record EventsProperties(
        @NotBlank String queue,
        @Min(1) @Max(50) int consumers,
        @Min(0) @Max(20) int waitTimeSeconds,
        @Min(5) @Max(43200) int visibilityTimeout,
        @NotNull Duration resequenceWindow,
        @Min(10) int resequenceCapacity,
        @Min(1) @Max(20) int sinkMaxAttempts,
        @NotNull Duration sinkInitialDelay,
        @NotNull Duration sinkMaxDelay,
        @Min(1) @Max(64) int sinkLanes,
        @Min(1) int laneCapacity,
        @NotNull Duration retention,
        @NotNull Duration cleanupPeriod,
        String nodeId,
        @NotNull Duration nodeTimeout,
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
     * Whether {@link #queue} is an SQS FIFO queue (its name ends in {@code .fifo}, as SQS requires). Then the
     * queue's message groups (one per interaction) set the order, across instances too: see {@link EventStore#record}.
     */
    public boolean fifo() {
        return queue.endsWith(".fifo");
    }

    /** Sink names, in configuration order. */
    public java.util.List<String> sinkNames() {
        return java.util.List.copyOf(sinks.keySet());
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
