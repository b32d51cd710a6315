-- EventBridge subscriptions made by POST /api/events/subscriptions (docs/decisions/0050-subscriptions-converge.md).
-- One row per subscription name: what Switchboard created upstream, so that a repeated POST converges on the
-- same resources, GET lists them, and DELETE knows what to remove. Portable SQL: PostgreSQL and H2.
CREATE TABLE event_subscriptions (
    name            VARCHAR(128)  NOT NULL PRIMARY KEY,
    platform        VARCHAR(16)   NOT NULL,   -- cxone | genesys
    connection_id   VARCHAR(256),             -- CXone EventBridge connection id, or Genesys Cloud integration id
    event_source    VARCHAR(256),             -- the source the rule matches (Genesys: the partner event source)
    event_bus_name  VARCHAR(256),             -- null until known (Genesys: the partner bus)
    rule_name       VARCHAR(64)   NOT NULL,
    rule_arn        VARCHAR(1600),
    target_id       VARCHAR(64)   NOT NULL,
    target_arn      VARCHAR(1600) NOT NULL,
    request         TEXT          NOT NULL,   -- the body of the POST that made it (no secrets in it)
    status          VARCHAR(32)   NOT NULL,   -- active | incomplete | deleting
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
