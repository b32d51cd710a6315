package io.switchboard.events;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import java.util.Comparator;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.ValidationException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.SpringTransactionErrorHandlerBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.processor.aggregate.GroupedMessageAggregationStrategy;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.support.ExpressionAdapter;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.springframework.stereotype.Component;

/**
 * The event pipeline (README "Events"): SQS (or {@code POST /api/events}) → validate → de-duplicate and record, a poll's
 * events in one transaction → only then are the SQS messages deleted → put in order per interaction → fan out to
 * every sink through its lanes, each delivery retried on its own and dead-lettered on its own.
 *
 * <pre>
 *   events-consume       SQS long polling, events.consumers threads; the (up to ten) messages of one poll are
 *                        gathered (aggregate, per consumer thread, complete with the poll's last message)
 *   events-batch         record the poll in one transaction, then delete its messages with one batch call; if the
 *                        transaction fails, each message is tried on its own (events-one), so one bad message
 *                        cannot hold back the others
 *   events-ingest        validate against config/schemas/event-envelope.json; invalid → dead letter (in the same
 *                        transaction), message deleted
 *   events-accept        record (events-record); count duplicates
 *   events-record        idempotency key + event + a pending delivery per sink; joins the poll's transaction (or
 *                        is one of its own for POST /api/events). After commit the event goes to events-order
 *   events-order         the next event of its interaction goes to the lanes at once, any other waits in the
 *                        stream resequencer (DeliveryOrder) → SinkLanes.dispatch
 *   events-deliver       one delivery to one sink (called by a lane): retries with exponential backoff
 *   events-sink-failed   attempts used up: delivery marked dead, dead letter events-sink-&lt;sink&gt;
 *   events-redrive       redrive of such a dead letter: the delivery is pending again
 *   events-heartbeat     this instance is alive; adopt the events of one that went silent
 *   events-cleanup       retention of events and idempotency keys
 * </pre>
 *
 * Why nothing is lost: an SQS message is deleted only once the transaction recording its event has committed
 * (until then SQS hands it out again after the visibility timeout, and the idempotency key tells a repeat from a
 * new event). From there on the store, not memory, carries the event: a lane delivers what is pending at start-up,
 * after a backlog, or after adopting a silent instance. Ordering and the lanes only ever work on copies of what is
 * already durable, so the SQS visibility timeout has to cover validation and recording alone, not the resequence
 * window or a sink's retries.
 */
@Component
public class EventRoutes extends RouteBuilder {

    /** Largest SQS receive: the messages recorded in one transaction at most. */
    static final int POLL = 10;

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
        // deleteAfterRead=false: events-batch deletes the messages once their events are committed. No visibility
        // extension: an exchange is done the moment it joins its poll's batch, and the visibility timeout only has
        // to cover recording that batch
        from("aws2-sqs://{{events.queue}}?concurrentConsumers={{events.consumers}}&maxMessagesPerPoll=" + POLL
                + "&waitTimeSeconds={{events.wait-time-seconds}}&visibilityTimeout={{events.visibility-timeout}}"
                + "&extendMessageVisibility=false&greedy=true&deleteAfterRead=false")
                .routeId("events-consume")
                .bean(EventMetrics.class, "received")
                // a consumer thread hands over its poll's messages one after the other, the last one marked
                .aggregate(simple("${threadName}"), new GroupedMessageAggregationStrategy())
                    .eagerCheckCompletion()
                    .completionPredicate(exchangeProperty(Exchange.BATCH_COMPLETE).isEqualTo(true))
                    .completionSize(POLL)
                    .completionTimeout(1000) // a safety net only: every poll ends with its marked message
                    // recorded on the consumer thread that completed it (Camel would otherwise hand every batch
                    // to one shared thread): each consumer records its own poll, and polls no faster than it records
                    .executorService(new SynchronousExecutorService())
                    .to("direct:events-batch")
                .end();

        from("direct:events-batch").routeId("events-batch")
                .errorHandler(noErrorHandler()) // failures are caught here: the messages simply stay on the queue
                .doTry()
                    .to("direct:events-record-batch")
                    .bean(SqsDeletes.class, "deleteAll")
                .doCatch(Exception.class)
                    .log(LoggingLevel.WARN, "Recording a poll of ${body.size} event message(s) failed"
                            + " (${exception.message}); recording each on its own")
                    .split(copiesOfThePoll())
                        .to("direct:events-one")
                    .end()
                .end();

        // The same event re-sent can sit in two polls recorded at once. Recorded in the same order (sorted by
        // envelope, so identical copies sort alike), the two transactions wait for each other instead of deadlocking.
        from("direct:events-record-batch").routeId("events-record-batch")
                .errorHandler(new SpringTransactionErrorHandlerBuilder() // a failure rolls the whole poll back and
                        .rollbackLoggingLevel(LoggingLevel.DEBUG)         // goes to events-batch, which says so
                        .logExhausted(false))
                .transacted()
                .filter(constant(!properties.fifo())) // a FIFO queue's order within a poll is the order to keep
                    .sort(body(), Comparator.comparing((Message message) -> message.getBody(String.class),
                            Comparator.nullsFirst(Comparator.naturalOrder())))
                .end()
                .split(copiesOfThePoll()).stopOnException()
                    .to("direct:events-ingest")
                .end();

        from("direct:events-one").routeId("events-one")
                .errorHandler(noErrorHandler()) // failures are caught here
                .doTry()
                    .to("direct:events-ingest")
                    .bean(SqsDeletes.class, "deleteOne")
                .doCatch(Exception.class)
                    .log(LoggingLevel.WARN, "Event message ${header.CamelAwsSqsMessageId} could not be recorded"
                            + " (${exception.message}); it stays on the queue and comes back after the visibility timeout")
                .end();

        from("direct:events-ingest").routeId("events-ingest")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .convertBodyTo(String.class)
                .doTry()
                    .to("json-validator:{{switchboard.schemas-location}}/event-envelope.json").id("events-validate")
                    .bean(EventEnvelopes.class, "read")
                .doCatch(ValidationException.class, ProblemException.class)
                    .bean(InvalidEvents.class, "deadLetter")
                .end()
                .filter(body().isInstanceOf(IncomingEvent.class)) // valid: read into an IncomingEvent
                    .to("direct:events-accept")
                .end();

        from("direct:events-accept").routeId("events-accept")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .to("direct:events-record")
                .filter(exchangeProperty(Exchange.DUPLICATE_MESSAGE))
                    .bean(EventMetrics.class, "duplicate")
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
                    .bean(CommittedEvents.class, "orderAfterCommit")
                .end();

        from(CommittedEvents.ORDER).routeId("events-order")
                .errorHandler(noErrorHandler()) // failures go back to the caller
                .bean(DeliveryOrder.class, "admit") // the next event of its interaction goes to the lanes now
                .filter(exchangeProperty(DeliveryOrder.SLOT).isNotNull())
                    .resequence(exchangeProperty(DeliveryOrder.SLOT)).stream()
                        .timeout(properties.resequenceWindow().toMillis())
                        .capacity(properties.resequenceCapacity())
                        .deliveryAttemptInterval(Math.max(5, Math.min(50, properties.resequenceWindow().toMillis() / 10)))
                        .comparator(new DeliveryOrder.SlotComparator())
                        .bean(DeliveryOrder.class, "release") // and on to the lanes
                    .end()
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
                .to("json-validator:{{switchboard.schemas-location}}/event-envelope.json").id("events-post-validate")
                .bean(EventEnvelopes.class, "read")
                .to("direct:events-accept")
                .bean(EventReplay.class, "accepted")
                .bean(JsonResponses.class, "accepted");

        from("direct:events-replay").routeId("events-replay")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(EventReplay.class, "page")
                .bean(JsonResponses.class, "ok");
    }

    /**
     * The poll's messages to split, each a copy: recording turns a message's body into the event it carries, and
     * should the poll's transaction fail, the per-message retry must see the messages as they were received.
     */
    private static Expression copiesOfThePoll() {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                List<?> poll = exchange.getIn().getBody(List.class);
                return poll.stream().map(message -> ((Message) message).copy()).toList();
            }
        };
    }
}
