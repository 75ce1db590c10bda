-- Rollout configuration and events (seed 000/002). The rollout engine arrives in a later issue;
-- the tables exist from the start so the schema matches the seeds' deployment step 1.
CREATE TABLE feature_rollouts (
    id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    feature_name          TEXT        NOT NULL UNIQUE REFERENCES feature_flags (flag_key) ON DELETE CASCADE,
    current_tier          SMALLINT    NOT NULL DEFAULT 0 CHECK (current_tier BETWEEN 0 AND 4),
    percentage            SMALLINT    NOT NULL DEFAULT 0 CHECK (percentage BETWEEN 0 AND 100),
    status                TEXT        NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'active', 'paused', 'completed', 'rolled_back')),
    whitelisted_customers TEXT[]      NOT NULL DEFAULT '{}',
    blacklisted_customers TEXT[]      NOT NULL DEFAULT '{}',
    rollback_threshold    JSONB       NOT NULL DEFAULT
                          '{"errorRate": 0.05, "timeWindowMs": 3600000, "minSamples": 100}'::jsonb,
    started_at            TIMESTAMPTZ,
    tier_entered_at       TIMESTAMPTZ,
    completed_at          TIMESTAMPTZ,
    version               BIGINT      NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX feature_rollouts_status_idx ON feature_rollouts (status);

CREATE TABLE rollout_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feature_name TEXT        NOT NULL,
    customer_id  TEXT        CHECK (customer_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    event        TEXT        NOT NULL CHECK (event IN ('enabled', 'disabled', 'success', 'error')),
    metadata     JSONB       NOT NULL DEFAULT '{}'::jsonb,
    "timestamp"  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Error rate over a window: count by event for one feature since a time.
CREATE INDEX rollout_events_feature_time_idx ON rollout_events (feature_name, "timestamp" DESC);
CREATE INDEX rollout_events_feature_event_time_idx ON rollout_events (feature_name, event, "timestamp" DESC);
