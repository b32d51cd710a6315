package io.switchboard.email;

import java.time.Instant;

/**
 * The last completed poll of the CXone delivery reports ({@code GET /api/email/delivery/summary}).
 *
 * @param items      delivery items reported
 * @param delivered  items with status {@code delivered}
 * @param bounces    bounced items: status {@code bounced} or a bounce code
 * @param bounceRate bounces in percent of items (0 when there are no items)
 * @param failed     items with status {@code failed} (each goes onto the retry queue once)
 * @param pages      report pages read
 * @param polledAt   when the poll completed; null before the first one
 */
public record DeliverySummary(long items, long delivered, long bounces, double bounceRate, long failed, int pages,
                              Instant polledAt) {

    static final DeliverySummary NONE = new DeliverySummary(0, 0, 0, 0.0, 0, 0, null);

    /** The bounce rate: bounces / items × 100, and 0 (not NaN) without items. */
    static double bounceRate(long bounces, long items) {
        return items == 0 ? 0.0 : bounces * 100.0 / items;
    }
}
