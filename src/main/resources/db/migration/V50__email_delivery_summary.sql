-- Email workflow: the last completed delivery-report poll (GET /api/email/delivery/summary) and the failures of
-- any poll since. One row, written by whichever instance polls (one per cluster) and read by every instance, so
-- each answers the same summary. Portable SQL: PostgreSQL and H2 in PostgreSQL mode.
CREATE TABLE email_delivery_summary (
    name                 VARCHAR(20) PRIMARY KEY,
    items                BIGINT           NOT NULL,
    delivered            BIGINT           NOT NULL,
    bounces              BIGINT           NOT NULL,
    bounce_rate          DOUBLE PRECISION NOT NULL,
    failed               BIGINT           NOT NULL,
    pages                INTEGER          NOT NULL,
    polled_at            TIMESTAMP WITH TIME ZONE,
    failed_at            TIMESTAMP WITH TIME ZONE,
    failure              TEXT,
    consecutive_failures INTEGER          NOT NULL
);
INSERT INTO email_delivery_summary (name, items, delivered, bounces, bounce_rate, failed, pages, consecutive_failures)
VALUES ('last', 0, 0, 0, 0, 0, 0, 0);
