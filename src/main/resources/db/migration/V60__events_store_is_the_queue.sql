-- The event store becomes the delivery queue (docs/events.md). Portable SQL: PostgreSQL and H2 in PostgreSQL mode.
--
-- events:            every accepted event. Its UNIQUE (interaction_id, event_id) is the de-duplication: recording
--                    is INSERT ... ON CONFLICT DO NOTHING, the insert of Camel's idempotent repository.
-- event_deliveries:  only the deliveries not done: 'pending' (inserted with the event, one row per sink, deleted
--                    once the sink took it) or 'dead' (attempts used up; a redrive makes it pending again). Its
--                    primary key (sink, state, event_pk) makes a sink's pending deliveries one index range, in
--                    recording order.

-- The idempotency keys were the events' own keys: the events table carries them already.
DROP TABLE event_idempotency_keys;
-- One reader per sink and cluster (Camel master:) replaces the node heartbeats and adoption.
DROP TABLE event_nodes;

DROP INDEX events_node;
DROP INDEX events_received;           -- retention walks the events in pk order
DROP INDEX events_by_interaction;     -- the unique key below, led by interaction_id, serves replay by interaction
ALTER TABLE events DROP COLUMN lane_key;
ALTER TABLE events DROP CONSTRAINT events_idempotency;
ALTER TABLE events ADD CONSTRAINT events_idempotency UNIQUE (interaction_id, event_id);
-- events.node now only says which instance recorded the event (events.node-id)

CREATE TABLE event_deliveries_next (
    sink        VARCHAR(40) NOT NULL,
    event_pk    BIGINT      NOT NULL,
    state       VARCHAR(10) NOT NULL,       -- pending | dead
    attempts    INTEGER     NOT NULL DEFAULT 0,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (sink, state, event_pk)
);
INSERT INTO event_deliveries_next (sink, event_pk, state, attempts, updated_at)
    SELECT sink, event_pk, state, attempts, updated_at FROM event_deliveries WHERE state <> 'delivered';
DROP TABLE event_deliveries;
ALTER TABLE event_deliveries_next RENAME TO event_deliveries;
