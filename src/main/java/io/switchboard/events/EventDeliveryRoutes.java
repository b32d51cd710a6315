package io.switchboard.events;

import io.switchboard.platform.cluster.ClusterSingletons;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Delivery: from the store to every sink (docs/events.md, "Deliver"). Per sink:
 *
 * <pre>
 *   events-read-&lt;sink&gt;     timer, on one instance of the cluster (master:): the sink's reader takes its pending
 *                           deliveries from the store and hands on those that may go now (order, concurrency)
 *   events-deliver-&lt;sink&gt;  seda, events.sink-concurrency consumers: one interaction per consumer, its events one
 *                           after the other for as long as the next one may go at once
 * </pre>
 * and for all sinks:
 * <pre>
 *   events-send             one delivery: the request, the sink's route (routes/event-sinks.yaml), delivered. Its
 *                           error handler retries with exponential backoff, then hands over to events-dead
 *   events-dead             attempts used up: the delivery is dead, a dead letter events-sink-&lt;sink&gt;
 *   events-redrive          redrive of such a dead letter: the delivery is pending again
 * </pre>
 * The sinks' own routes have no error handler (checked at start-up by {@link SinkReaders}), so a failure there is a
 * failure of events-send's step, and its redelivery policy applies as is.
 */
@Component
public class EventDeliveryRoutes extends RouteBuilder {

    private final EventsProperties properties;
    private final SinkReaders readers;
    private final ClusterSingletons cluster;

    public EventDeliveryRoutes(EventsProperties properties, SinkReaders readers, ClusterSingletons cluster) {
        this.properties = properties;
        this.readers = readers;
        this.cluster = cluster;
    }

    @Override
    public void configure() {
        for (String sink : properties.sinkNames()) {
            String deliver = "seda:events-deliver-" + sink;
            from(cluster.once("events-sink-" + sink, "timer:events-read-" + sink + "?delay=0&period="
                    + properties.pollPeriod().toMillis()))
                    .routeId("events-read-" + sink)
                    .bean(readers.reader(sink), "poll")
                    .split(body())
                        .to(deliver)
                    .end();

            from(deliver + "?concurrentConsumers=" + properties.sinkConcurrency() + "&size=" + (properties.sinkConcurrency() + 1))
                    .routeId("events-deliver-" + sink)
                    .loopDoWhile(body().isInstanceOf(Delivery.class))
                        .to("direct:events-send")
                    .end();
        }

        from("direct:events-send").routeId("events-send")
                .errorHandler(deadLetterChannel("direct:events-dead")
                        .deadLetterHandleNewException(false)
                        .maximumRedeliveries(properties.sinkMaxAttempts() - 1)
                        .redeliveryDelay(properties.sinkInitialDelay().toMillis())
                        .useExponentialBackOff()
                        .backOffMultiplier(2)
                        .useCollisionAvoidance()
                        .maximumRedeliveryDelay(properties.sinkMaxDelay().toMillis())
                        .allowRedeliveryWhileStopping(false)
                        .onRedelivery(SinkRequests::restore)
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                        .logExhausted(false))
                .process(SinkRequests::prepare)
                .toD("direct:events-sink-${exchangeProperty." + SinkRequests.SINK + "}").id("events-sink")
                .bean(SinkReaders.class, "delivered");

        from("direct:events-dead").routeId("events-dead")
                .errorHandler(noErrorHandler()) // a failure leaves the delivery pending: it is read again
                .bean(DeadDeliveries.class, "deadLetter");

        from(DeadDeliveries.REDRIVE_URI).routeId("events-redrive")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .bean(DeadDeliveries.class, "redeliver");
    }
}
