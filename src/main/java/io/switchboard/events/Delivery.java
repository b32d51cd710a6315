package io.switchboard.events;

/** One event on its way to one sink: what a sink's reader hands to {@code seda:events-deliver-<sink>}. */
public record Delivery(String sink, RecordedEvent event) {
}
