package io.switchboard.events;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A {@link SinkReader} per sink in {@code events.sinks.*}, the route steps that reach them, and the pipeline's gauges:
 * per sink the pending deliveries and the age of the oldest one, in the whole cluster (from the store) and held by
 * this instance; and the events whose order had to wait.
 */
@Component
public class SinkReaders implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SinkReaders.class);

    private final Map<String, SinkReader> readers = new LinkedHashMap<>();
    private final Clock clock;
    private final EventMetrics metrics;

    public SinkReaders(DeliveryStore store, Clock clock, OpenRecordings openRecordings, EventsProperties properties,
                       MeterRegistry registry, EventMetrics metrics, PoolingHttpClientConnectionManager httpConnections) {
        this.clock = clock;
        this.metrics = metrics;
        allowConnections(httpConnections, properties);
        for (String sink : properties.sinkNames()) {
            SinkReader reader = new SinkReader(sink, store, clock, openRecordings, properties);
            readers.put(sink, reader);
            gauge(registry, "switchboard.events.pending", sink, "Deliveries to the sink not yet done, whole cluster",
                    () -> store.pendingCount(sink));
            gauge(registry, "switchboard.events.pending.oldest.age.seconds", sink,
                    "Age of the sink's oldest pending delivery, whole cluster", () -> age(store.oldestPending(sink).orElse(null)));
            gauge(registry, "switchboard.events.held", sink,
                    "Deliveries to the sink this instance holds (in flight or waiting for their turn)", reader::held);
            gauge(registry, "switchboard.events.held.oldest.age.seconds", sink,
                    "Age of the oldest delivery to the sink this instance holds", () -> age(reader.oldestHeld()));
        }
        FunctionCounter.builder("switchboard.events.order.waited", readers,
                        all -> all.values().stream().mapToLong(SinkReader::waited).sum())
                .description("Deliveries that waited out events.resequence-window for an earlier event of their interaction")
                .register(registry);
    }

    /**
     * Each sink may have {@code events.sink-concurrency} requests in flight, each on a connection of its own, and
     * several sinks may share a host: the HTTP connection pool all camel-http endpoints share must allow that many
     * to one host, on top of what the platform calls need. Its default (20 per host) would cap a 50 ms sink at
     * 400 requests/s.
     */
    static void allowConnections(PoolingHttpClientConnectionManager pool, EventsProperties properties) {
        int sinks = properties.sinkConcurrency() * properties.sinkNames().size();
        pool.setDefaultMaxPerRoute(Math.max(pool.getDefaultMaxPerRoute(), sinks));
        pool.setMaxTotal(pool.getMaxTotal() + sinks);
    }

    SinkReader reader(String sink) {
        return readers.get(sink);
    }

    /** Route step after the sink took the event: counted and timed; the next delivery of its interaction, or null. */
    public Delivery delivered(@ExchangeProperty(SinkRequests.DELIVERY) Delivery delivery) {
        metrics.delivered(delivery.sink(), Duration.between(delivery.event().receivedAt(), clock.instant()));
        return readers.get(delivery.sink()).delivered(delivery.event());
    }

    /**
     * Each sink needs its route in routes/*.yaml, without an error handler of its own. Checked as Camel starts, with
     * every route added: a failure there stops Switchboard from starting (one line naming the route).
     */
    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        try {
            camelContext.addStartupListener((context, alreadyStarted) -> checkSinkRoutes(context));
        } catch (Exception e) {
            throw new IllegalStateException("Could not add the sink routes check", e);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        LOG.info("Event delivery: sink(s) {}, each read from the store by one instance of the cluster", readers.keySet());
    }

    private void checkSinkRoutes(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (String sink : readers.keySet()) {
            RouteDefinition route = model.getRouteDefinition("events-sink-" + sink);
            if (route == null) {
                throw new IllegalStateException("events.sinks names " + sink + " but routes/*.yaml has no route events-sink-"
                        + sink + " (from direct:events-sink-" + sink + "); add one, see routes/event-sinks.yaml");
            }
            if (!(route.getErrorHandlerFactory() instanceof NoErrorHandlerDefinition)) {
                throw new IllegalStateException("Route events-sink-" + sink + " needs errorHandler: noErrorHandler: {}"
                        + " (Switchboard retries and dead-letters each delivery itself), see routes/event-sinks.yaml");
            }
        }
    }

    /** Once Camel has stopped: record what the sinks took meanwhile as delivered. */
    @PreDestroy
    public void flush() {
        readers.values().forEach(reader -> {
            try {
                reader.flush(true);
            } catch (RuntimeException e) {
                LOG.warn("Sink {}: could not record the last deliveries as done ({}); they will be delivered again",
                        reader.sink, e.toString());
            }
        });
    }

    private double age(Instant since) {
        return since == null ? 0 : Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }

    private static void gauge(MeterRegistry registry, String name, String sink, String description,
                              Supplier<Number> value) {
        Gauge.builder(name, value).tag("sink", sink).description(description).strongReference(true).register(registry);
    }
}
