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
import org.apache.camel.support.ExpressionAdapter;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.springframework.stereotype.Component;

/**
 * Ingest: every event that arrives, recorded once, before its SQS message is deleted (docs/events.md, "Ingest").
 * Delivery starts from the store: {@link EventDeliveryRoutes}.
 *
 * <pre>
 *   events-consume       SQS long polling, events.consumers threads; the (up to ten) messages of one receive are
 *                        gathered (aggregate, per consumer thread, complete with the receive's last message)
 *   events-batch         record the receive in one transaction, then delete its messages with one batch call; if the
 *                        transaction fails, each message is tried on its own (events-one), so one bad message
 *                        cannot hold back the others
 *   events-ingest        validate against config/schemas/event-envelope.json; invalid → dead letter (in the same
 *                        transaction), message deleted
 *   events-record        idempotentConsumer whose repository (EventRecorder) records the event and a pending
 *                        delivery per sink, or finds it recorded: a duplicate, counted
 *   events-post          POST /api/events: the same, one event per transaction, answered 202
 *   events-replay        GET /api/events/replay
 *   events-cleanup       retention of delivered events
 * </pre>
 *
 * Why nothing is lost: an SQS message is deleted only once the transaction recording its event has committed
 * (until then SQS hands it out again after the visibility timeout, and the recorded event tells a repeat from a new
 * one). From there on the store carries the event; the visibility timeout only has to cover validating and
 * recording one receive.
 */
@Component
public class EventRoutes extends RouteBuilder {

    /** Largest SQS receive: the messages recorded in one transaction at most. */
    static final int POLL = 10;

    private final EventsProperties properties;
    private final EventRecorder recorder;

    public EventRoutes(EventsProperties properties, EventRecorder recorder) {
        this.properties = properties;
        this.recorder = recorder;
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
                    .to("direct:events-record")
                .end();

        // eager: the repository's add is the recording itself, inside this route's transaction (joined by the
        // receive's, if any): the event, its deliveries and the SQS delete stand or fall together, and two instances
        // racing on one event serialise on its unique key, the second finding it recorded
        from("direct:events-record").routeId("events-record")
                .errorHandler(noErrorHandler()) // a failure rolls the transaction back and goes to the caller
                .transacted()
                .idempotentConsumer(exchangeProperty(EventEnvelopes.KEY))
                    .idempotentRepository(recorder)
                    .eager(true)
                    .skipDuplicate(false)
                    .removeOnFailure(false) // the transaction decides, not the exchange
                    .filter(exchangeProperty(Exchange.DUPLICATE_MESSAGE))
                        .bean(EventMetrics.class, "duplicate")
                    .end()
                .end();

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
                .to("direct:events-record")
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
