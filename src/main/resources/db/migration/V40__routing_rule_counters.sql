-- Interaction routing rules (docs/api.md, "Routing rules"): the running success count and total of rule changes
-- (creates and updates), audited as successCount / totalCount. Kept in the database so they
-- survive restarts and are shared by every instance; each audited attempt updates its row and reads
-- it back in one transaction. Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE routing_rule_counters (
    name          VARCHAR(40) PRIMARY KEY,
    success_count BIGINT      NOT NULL,
    total_count   BIGINT      NOT NULL
);
INSERT INTO routing_rule_counters (name, success_count, total_count) VALUES ('rule-changes', 0, 0);
