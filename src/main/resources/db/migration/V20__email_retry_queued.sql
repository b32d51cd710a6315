-- Email workflow: the failed deliveries Switchboard has put on email.retry-queue, so that each
-- messageId goes onto the queue once, however many polls report it, across restarts and instances.
-- A row is 'claimed' just before the SQS send and 'queued' once SQS has the message; a claim left by
-- an instance that died in between is taken over after a few minutes. Rows older than
-- email.retry.dedup-retention are forgotten. Portable SQL: PostgreSQL and H2 in PostgreSQL mode.
CREATE TABLE email_retry_queued (
    message_id VARCHAR(255) PRIMARY KEY,
    state      VARCHAR(10)  NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    queued_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX email_retry_queued_age ON email_retry_queued (state, queued_at);
