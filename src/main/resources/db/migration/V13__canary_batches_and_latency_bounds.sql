-- Canary request batches count once: a proxy that retries a batch after a lost answer sends the same
-- batch id, and the second delivery is acknowledged without being counted.
CREATE TABLE canary_request_batches (
    batch_id      TEXT PRIMARY KEY CHECK (batch_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    deployment_id UUID        NOT NULL REFERENCES canary_deployments (id) ON DELETE CASCADE,
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX canary_request_batches_received_idx ON canary_request_batches (received_at);

-- The largest latency seen per histogram bucket, so a percentile read from the buckets never reports
-- more than any request actually took.
ALTER TABLE canary_request_counts ADD COLUMN max_latency_ms DOUBLE PRECISION NOT NULL DEFAULT 0;
