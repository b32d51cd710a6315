package io.switchboard.email;

import java.net.URI;
import java.time.Instant;

/**
 * One poll of the delivery reports while it runs: the page to fetch next and counters, nothing per item,
 * so a poll of a million items holds as much as a poll of ten. Lives in an exchange property.
 */
final class PollProgress {

    final Instant startedAt;
    final URI firstPage;
    URI currentPage;
    URI nextPage;
    int pages;
    long items;
    long delivered;
    long bounces;
    long failed;
    long failedWithoutId; // failed items without a usable messageId: counted, cannot be retried
    long queued;

    PollProgress(URI firstPage, Instant startedAt) {
        this.firstPage = firstPage;
        this.nextPage = firstPage;
        this.startedAt = startedAt;
    }

    DeliverySummary summary(Instant polledAt) {
        return new DeliverySummary(items, delivered, bounces, DeliverySummary.bounceRate(bounces, items), failed,
                pages, polledAt);
    }
}
