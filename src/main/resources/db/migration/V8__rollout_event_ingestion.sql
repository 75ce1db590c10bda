-- Idempotent event ingestion: a reporter's batch id is stored once; a retried batch is acknowledged
-- without being counted again.
CREATE TABLE rollout_event_batches (
    batch_id    TEXT PRIMARY KEY CHECK (batch_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    event_count INTEGER     NOT NULL CHECK (event_count >= 0),
    received_by TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rollout_event_batches_received_idx ON rollout_event_batches (received_at);

ALTER TABLE rollout_events ADD COLUMN batch_id TEXT;

-- Per-minute counters beside the raw rows, so windowed error rates stay cheap at high volume and
-- survive the raw rows' retention.
CREATE TABLE rollout_event_counts (
    feature_name TEXT        NOT NULL,
    minute       TIMESTAMPTZ NOT NULL,
    event        TEXT        NOT NULL CHECK (event IN ('enabled', 'disabled', 'success', 'error')),
    count        BIGINT      NOT NULL CHECK (count >= 0),
    PRIMARY KEY (feature_name, minute, event)
);

-- Scheduled jobs that must run once per interval across replicas record their last run here.
CREATE TABLE job_runs (
    job      TEXT PRIMARY KEY,
    last_run TIMESTAMPTZ NOT NULL
);
