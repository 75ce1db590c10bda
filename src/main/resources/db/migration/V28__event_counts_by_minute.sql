-- The hourly retention deletes counters by minute alone (rollout_event_counts WHERE minute < ...), and the
-- primary key leads with the feature: without an index of its own that statement read the whole table, 90 days
-- of counters, every hour. Counter rows are updated in place far more often than added, and an update that leaves
-- the minute as it is does not touch this index.
CREATE INDEX rollout_event_counts_minute_idx ON rollout_event_counts (minute);
