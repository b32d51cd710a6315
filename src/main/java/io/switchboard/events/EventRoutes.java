package io.switchboard.events;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ValidationException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.stereotype.Component;

/**
 * The event pipeline (SPEC 4.4): SQS (or {@code POST /api/events}) → validate → de-duplicate and record, in one
 * transaction → only then is the SQS message deleted → resequence per interaction → fan out to every sink through
 * its lanes, each delivery retried on its own and dead-lettered on its own.
 *
 * <pre>
 *   events-consume      SQS long polling, events.consumers threads; a message is deleted (SqsDeletes, in batches
 *                       of ten) once its exchange has completed
 *   events-ingest       validate against config/schemas/event-envelope.json; invalid → dead letter, message deleted
 *   events-accept       record (events-record), then hand a copy to ordering without waiting for it
 *   events-record       ONE transaction: idempotency key + event + a pending delivery per sink
 *   events-order        stream resequencer (DeliveryOrder) → SinkLanes.dispatch
 *   events-deliver      one delivery to one sink (called by a lane): retries with exponential backoff
 *   events-sink-failed  attempts used up: delivery marked dead, dead letter events-sink-&lt;sink&gt;
 *   events-redrive      redrive of such a dead letter: the delivery is pending again
 *   events-heartbeat    this instance is alive; adopt the events of one that went silent
 *   events-cleanup      retention of events and idempotency keys
 * </pre>
 *
 * Why nothing is lost: the SQS message is deleted only once its exchange has completed, and the exchange
 * completes only after the record transaction committed. From there on the store, not memory, carries the event: a lane
 * delivers what is pending at start-up, after a backlog, or after adopting a silent instance. The resequencer and
 * the lanes only ever work on copies of what is already durable, so the SQS visibility timeout has to cover
 * validation and recording alone, not the resequence window or a sink's retries.
 */
@Component
public class EventRoutes extends RouteBuilder {

    private final EventsProperties properties;
    private final JdbcMessageIdRepository idempotentRepository;
    private final SinkDelivery delivery;

    public EventRoutes(EventsProperties properties, JdbcMessageIdRepository eventIdempotentRepository,
                       SinkDelivery delivery) {
        this.properties = properties;
        this.idempotentRepository = eventIdempotentRepository;
        this.delivery = delivery;
    }

    @Override
    public void configure() {
        // deleteAfterRead=false: SqsDeletes deletes each message, in batches, once its exchange has completed
        from("aws2-sqs://{{events.queue}}?concurrentConsumers={{events.consumers}}&maxMessagesPerPoll=10"
                + "&waitTimeSeconds={{events.wait-time-seconds}}&visibilityTimeout={{events.visibility-timeout}}"
                + "&extendMessageVisibility=true&greedy=true&deleteAfterRead=false")
                .routeId("events-consume")
                .bean(SqsDeletes.class, "deleteOnCompletion")
                .to("direct:events-ingest");

        from("timer:events-sqs-deletes?period=200").routeId("events-sqs-deletes")
                .bean(SqsDeletes.class, "flushStragglers");

        from("direct:events-ingest").routeId("events-ingest")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .convertBodyTo(String.class)
                .bean(EventMetrics.class, "received")
                .doTry()
                    .to("json-validator:file:{{switchboard.schemas-dir}}/event-envelope.json").id("events-validate")
                    .bean(EventEnvelopes.class, "read")
                .doCatch(ValidationException.class, ProblemException.class)
                    .bean(InvalidEvents.class, "deadLetter")
                    .stop()
                .end()
                .to("direct:events-accept");

        from("direct:events-accept").routeId("events-accept")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .to("direct:events-record")
                .choice()
                    .when(exchangeProperty(Exchange.DUPLICATE_MESSAGE))
                        .bean(EventMetrics.class, "duplicate")
                    .otherwise()
                        // a copy, not this exchange: the resequencer hands the completions of what it is given
                        // over to its own copy, and this exchange's completion is what deletes the SQS message
                        .wireTap("direct:events-order")
                .end();

        // eager(true) stores the key before the event is recorded. On its own that would lose events: a crash
        // between the two would leave a key whose event was never stored, and the redelivered SQS message would
        // be dropped as a duplicate. Here the repository joins this route's transaction, so key, event and
        // deliveries commit (or vanish) together, and two instances racing on one event serialise on the key.
        from("direct:events-record").routeId("events-record")
                .errorHandler(noErrorHandler()) // a failure rolls the transaction back and goes to the caller
                .transacted()
                .idempotentConsumer(exchangeProperty(EventEnvelopes.KEY))
                    .idempotentRepository(idempotentRepository)
                    .eager(true)
                    .removeOnFailure(false) // the transaction decides whether the key stays, not the exchange
                    .bean(EventStore.class, "record")
                .end();

        from("direct:events-order").routeId("events-order")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .bean(DeliveryOrder.class, "admit")
                .resequence(exchangeProperty(DeliveryOrder.SLOT)).stream()
                    .timeout(properties.resequenceWindow().toMillis())
                    .capacity(properties.resequenceCapacity())
                    .deliveryAttemptInterval(Math.max(5, Math.min(50, properties.resequenceWindow().toMillis() / 10)))
                    .comparator(new DeliveryOrder.SlotComparator())
                    .bean(DeliveryOrder.class, "release")
                    .bean(SinkLanes.class, "dispatch")
                .end();

        from(SinkDelivery.ROUTE).routeId("events-deliver")
                .errorHandler(deadLetterChannel("direct:events-sink-failed")
                        .deadLetterHandleNewException(false) // if even that fails, the delivery stays pending
                        .retryWhile(method(delivery, "shouldRetry"))
                        .onExceptionOccurred(delivery::attemptFailed)
                        .redeliveryDelay(properties.sinkInitialDelay().toMillis())
                        .useExponentialBackOff()
                        .backOffMultiplier(2)
                        .useCollisionAvoidance()
                        .maximumRedeliveryDelay(properties.sinkMaxDelay().toMillis())
                        .allowRedeliveryWhileStopping(false)
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                        .logExhausted(false))
                .bean(SinkDelivery.class, "prepare")
                .to("direct:events-sink-call").id("events-sink")
                .bean(SinkDelivery.class, "succeeded");

        // The sink's own route (routes/event-sinks.yaml) is the user's: should it have an error handler of its
        // own, that handler would mark a failure exhausted and events-deliver would never retry it (and an
        // exception rethrown inside doCatch would bypass events-deliver's error handler too). So the failure is
        // caught, then raised afresh after the try block: events-deliver's redelivery policy always applies.
        from("direct:events-sink-call").routeId("events-sink-call")
                .errorHandler(noErrorHandler())
                .doTry()
                    .toD("direct:events-sink-${exchangeProperty." + SinkDelivery.SINK + "}")
                .doCatch(Exception.class)
                    .bean(Failures.class, "remember")
                .end()
                .bean(Failures.class, "rethrowRemembered");

        from("direct:events-sink-failed").routeId("events-sink-failed")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .bean(SinkDelivery.class, "failed");

        from(SinkDelivery.REDRIVE_URI).routeId("events-redrive")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .bean(SinkLanes.class, "redrive");

        fromF("timer:events-heartbeat?delay=0&period=%d", Math.max(1000, properties.nodeTimeout().toMillis() / 3))
                .routeId("events-heartbeat")
                .bean(EventHousekeeping.class, "heartbeat");

        fromF("timer:events-cleanup?delay=%1$d&period=%1$d", properties.cleanupPeriod().toMillis())
                .routeId("events-cleanup")
                .bean(EventHousekeeping.class, "cleanup");

        rest("/api/events").description("EventBridge events: HTTP target and replay")
                .post().id("rest-events-post").description("Feed one event into the pipeline (an EventBridge API destination)")
                    .consumes("application/json").produces("application/json").to("direct:events-post")
                .get("/replay").id("rest-events-replay").description("Recorded events in chronological order")
                    .param().name("offset").type(RestParamType.query).dataType("integer").required(false)
                        .description("events to skip (default 0)").endParam()
                    .param().name("limit").type(RestParamType.query).dataType("integer").required(false)
                        .description("events per page, 1-500 (default 50)").endParam()
                    .param().name("interactionId").type(RestParamType.query).dataType("string").required(false)
                        .description("only this interaction's events").endParam()
                    .produces("application/json").to("direct:events-replay");

        from("direct:events-post").routeId("events-post")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                // an invalid event: counted and audited, then answered 400 naming every problem
                .onException(ValidationException.class, ProblemException.class)
                    .handled(true)
                    .logExhausted(false)
                    .bean(InvalidEvents.class, "refused")
                    .bean(Problems.class, "answer")
                .end()
                .convertBodyTo(String.class)
                .bean(EventMetrics.class, "received")
                .to("json-validator:file:{{switchboard.schemas-dir}}/event-envelope.json").id("events-post-validate")
                .bean(EventEnvelopes.class, "read")
                .to("direct:events-accept")
                .bean(EventReplay.class, "accepted")
                .bean(JsonResponses.class, "accepted");

        from("direct:events-replay").routeId("events-replay")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(EventReplay.class, "page")
                .bean(JsonResponses.class, "ok");
    }
}
