package io.switchboard.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.http.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Header;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The fan-out: for every sink in {@code events.sinks.*}, {@code events.sink-lanes} {@link Lane}s, each an
 * independent single thread. An event goes to the same lane index of every sink (by its interaction), so sinks
 * and interactions proceed in parallel while each interaction's events reach each sink in order, and a sink that
 * fails or crawls holds up nobody else.
 *
 * <p>Lanes start once Camel has started, in backlog: the first thing each does is deliver what a previous run
 * (or a {@code kill -9}) left pending. On shutdown they stop taking work, finish the delivery in hand for a few
 * seconds, and leave everything else pending in the store.
 */
@Component
public class SinkLanes implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SinkLanes.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final EventStore store;
    private final SinkDelivery delivery;
    private final EventsProperties properties;
    private final Map<String, Lane[]> lanes = new LinkedHashMap<>();
    private final List<ExecutorService> threads = new ArrayList<>();

    public SinkLanes(EventStore store, SinkDelivery delivery, EventsProperties properties, Clock clock,
                     MeterRegistry registry) {
        this.store = store;
        this.delivery = delivery;
        this.properties = properties;
        java.time.Instant startedAt = clock.instant();
        for (String sink : properties.sinkNames()) {
            Lane[] sinkLanes = new Lane[properties.sinkLanes()];
            for (int i = 0; i < sinkLanes.length; i++) {
                sinkLanes[i] = new Lane(sink, i, properties.laneCapacity(), store, delivery,
                        properties.resequenceWindow(), clock, startedAt, properties.fifo());
            }
            lanes.put(sink, sinkLanes);
            Gauge.builder("switchboard.events.lane.queued", sinkLanes,
                            all -> Arrays.stream(all).mapToInt(Lane::queued).sum())
                    .tag("sink", sink).description("Deliveries queued in memory for the sink").register(registry);
            Gauge.builder("switchboard.events.lane.backlog", sinkLanes,
                            all -> Arrays.stream(all).filter(Lane::inBacklog).count())
                    .tag("sink", sink).description("Lanes of the sink reading their backlog from the store")
                    .register(registry);
        }
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // nothing to prepare: the lanes start once every route runs
    }

    /** Once every route runs: check each sink has its route in routes/*.yaml, then start the lanes. */
    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        List<String> missing = properties.sinkNames().stream()
                .filter(sink -> camelContext.getRoute("events-sink-" + sink) == null)
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("events.sinks names " + missing + " but routes/*.yaml has no route "
                    + missing.stream().map(s -> "events-sink-" + s).toList()
                    + " (from direct:events-sink-<name>); add one per sink, see routes/event-sinks.yaml");
        }
        lanes.forEach((sink, sinkLanes) -> {
            for (Lane lane : sinkLanes) {
                ExecutorService thread = camelContext.getExecutorServiceManager()
                        .newSingleThreadExecutor(this, "events-sink-" + sink + "-lane-" + lane.index);
                thread.execute(lane);
                threads.add(thread);
            }
        });
        LOG.info("Event delivery: {} sink(s) {} with {} lane(s) each; delivering what is still pending first",
                lanes.size(), lanes.keySet(), properties.sinkLanes());
    }

    /** From {@link DeliveryOrder}, in order: hand the event to its lane of every sink (never blocks). */
    public void dispatch(RecordedEvent event) {
        for (Lane[] sinkLanes : lanes.values()) {
            sinkLanes[laneOf(event)].offer(event);
        }
    }

    private int laneOf(RecordedEvent event) {
        return event.laneKey() % properties.sinkLanes();
    }

    /** Every lane looks in the store for pending deliveries no queue holds (after adopting another instance). */
    void sweep() {
        lanes.values().forEach(sinkLanes -> Arrays.stream(sinkLanes).forEach(Lane::toBacklog));
    }

    /**
     * Redrive of a sink's dead letter (route {@code direct:events-redrive}): the delivery is pending again and its
     * lane takes it from the store.
     */
    public void redrive(@Header(SinkDelivery.PK_HEADER) Long pk, @Header(SinkDelivery.SINK_HEADER) String sink) {
        Lane[] sinkLanes = lanes.get(sink);
        if (pk == null || sinkLanes == null) {
            throw ProblemException.conflict("This dead letter names no configured sink (" + sink + ")");
        }
        RecordedEvent event = store.find(pk).orElseThrow(() -> ProblemException.conflict(
                "The event is no longer stored (older than events.retention); discard the dead letter"));
        if (!store.markPending(pk, sink)) {
            throw ProblemException.conflict("The event has no delivery to sink " + sink);
        }
        sinkLanes[laneOf(event)].toBacklog();
    }

    /**
     * SIGTERM: before Camel stops its routes, stop the lanes. A delivery in hand gets {@link #SHUTDOWN_GRACE} to
     * finish (it is not retried any more); whatever is not delivered stays pending for the next start.
     */
    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void stop() {
        delivery.beginShutdown();
        lanes.values().forEach(sinkLanes -> Arrays.stream(sinkLanes).forEach(Lane::stop));
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        for (ExecutorService thread : threads) {
            thread.shutdown();
        }
        for (ExecutorService thread : threads) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    thread.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thread.shutdownNow();
            }
        }
        threads.clear();
    }
}
