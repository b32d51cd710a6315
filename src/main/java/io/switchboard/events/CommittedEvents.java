package io.switchboard.events;

import org.apache.camel.Body;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Hands a recorded event to ordering ({@code direct:events-order}) once, and only once, the transaction that
 * recorded it has committed: a poll's events commit together, so none of them may reach a sink before all of them
 * are durable. Should the hand-over fail, the lanes look in the store, where the event is pending.
 */
@Component
public class CommittedEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CommittedEvents.class);
    static final String ORDER = "direct:events-order";

    private final ProducerTemplate producer;
    private final SinkLanes lanes;
    private final boolean fifo;

    public CommittedEvents(ProducerTemplate producer, SinkLanes lanes, EventsProperties properties) {
        this.producer = producer;
        this.lanes = lanes;
        this.fifo = properties.fifo();
    }

    /**
     * Route step inside the record transaction: order the event after commit. Not with a FIFO queue: there the
     * queue has ordered the events, and the lanes take them from the store (see {@link EventStore#record}).
     */
    public void orderAfterCommit(@Body RecordedEvent event) {
        if (event == null || fifo) {
            return; // a duplicate (recorded before), or the store is the hand-over
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            order(event);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                order(event);
            }
        });
    }

    private void order(RecordedEvent event) {
        try {
            producer.sendBody(ORDER, event);
        } catch (RuntimeException e) {
            LOG.warn("Event {} is recorded but could not be put in order ({}); the lanes will deliver it from the store",
                    event.eventId(), e.toString());
            lanes.sweep();
        }
    }
}
