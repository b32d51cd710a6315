package io.switchboard.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The pipeline's Micrometer meters ({@code switchboard.events.*}): what came in, what was dropped and why, what
 * each sink got and how long after ingest.
 */
@Component
public class EventMetrics {

    private final Counter received;
    private final Counter duplicates;
    private final Counter invalid;
    private final Map<String, Counter> delivered = new HashMap<>();
    private final Map<String, Counter> deadLettered = new HashMap<>();
    private final Map<String, Timer> latency = new HashMap<>();

    public EventMetrics(MeterRegistry registry, EventsProperties properties) {
        received = Counter.builder("switchboard.events.received")
                .description("Events taken in from SQS or POST /api/events, valid or not").register(registry);
        duplicates = Counter.builder("switchboard.events.duplicates")
                .description("Events dropped because their id + interaction id was already recorded").register(registry);
        invalid = Counter.builder("switchboard.events.invalid")
                .description("Events refused by validation (dead-lettered from SQS, 400 over HTTP)").register(registry);
        for (String sink : properties.sinkNames()) {
            delivered.put(sink, Counter.builder("switchboard.events.delivered").tag("sink", sink)
                    .description("Events delivered to the sink").register(registry));
            deadLettered.put(sink, Counter.builder("switchboard.events.dead_lettered").tag("sink", sink)
                    .description("Deliveries to the sink given up after events.sink-max-attempts").register(registry));
            latency.put(sink, Timer.builder("switchboard.events.sink.latency").tag("sink", sink)
                    .description("From recording an event to its delivery at the sink")
                    .publishPercentiles(0.5, 0.99)
                    .publishPercentileHistogram()
                    .maximumExpectedValue(Duration.ofMinutes(5))
                    .register(registry));
        }
    }

    /** Route step: one more event taken in. */
    public void received() {
        received.increment();
    }

    /** Route step: one more duplicate dropped. */
    public void duplicate() {
        duplicates.increment();
    }

    public void invalid() {
        invalid.increment();
    }

    void delivered(String sink, Duration sinceIngest) {
        delivered.get(sink).increment();
        latency.get(sink).record(sinceIngest.isNegative() ? Duration.ZERO : sinceIngest);
    }

    void deadLettered(String sink) {
        deadLettered.get(sink).increment();
    }
}
