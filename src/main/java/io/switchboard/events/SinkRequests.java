package io.switchboard.events;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/**
 * The request a sink gets: the envelope as received, {@code X-Event-Id} and {@code X-Interaction-Id}; an HTTP sink is
 * called with POST and {@code application/json}. No other header travels to the sink.
 */
public final class SinkRequests {

    /** Exchange property: the {@link Delivery} being made. */
    public static final String DELIVERY = "SwitchboardDelivery";
    /** Exchange property: the sink's name (its route is {@code direct:events-sink-<name>}). */
    public static final String SINK = "SwitchboardSink";

    private SinkRequests() {
    }

    /** Route step: the {@link Delivery} in the body becomes the sink's request. */
    public static void prepare(Exchange exchange) {
        Delivery delivery = exchange.getIn().getBody(Delivery.class);
        exchange.setProperty(DELIVERY, delivery);
        exchange.setProperty(SINK, delivery.sink());
        exchange.getIn().removeHeaders("*");
        write(exchange.getIn(), delivery.event());
    }

    /** Before each redelivery: the request again, as the sink's route may have changed it (keeps Camel's counters). */
    public static void restore(Exchange exchange) {
        exchange.getIn().removeHeaders("*", Exchange.REDELIVERED, Exchange.REDELIVERY_COUNTER,
                Exchange.REDELIVERY_MAX_COUNTER);
        write(exchange.getIn(), exchange.getProperty(DELIVERY, Delivery.class).event());
    }

    private static void write(Message message, RecordedEvent event) {
        message.setHeader("X-Event-Id", event.eventId());
        message.setHeader("X-Interaction-Id", event.interactionId());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST); // the enum: a string is converted on every call
        message.setBody(event.envelope());
    }
}
