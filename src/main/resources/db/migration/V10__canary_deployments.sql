-- Canary deployments (seed 004): a version released to a growing share of traffic in stages.
CREATE TABLE canary_deployments (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    service          TEXT        NOT NULL CHECK (service ~ '^[A-Za-z0-9._-]{1,64}$'),
    version          TEXT        NOT NULL CHECK (length(version) BETWEEN 1 AND 128),
    strategy         TEXT        NOT NULL CHECK (strategy IN ('canary', 'instant')),
    stages           JSONB       NOT NULL CHECK (jsonb_typeof(stages) = 'array'),
    current_stage    INTEGER     NOT NULL CHECK (current_stage >= 0),
    percentage       SMALLINT    NOT NULL CHECK (percentage BETWEEN 0 AND 100),
    status           TEXT        NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'rolled_back')),
    started_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    stage_started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at      TIMESTAMPTZ,
    rollback_reason  TEXT,
    final_metrics    JSONB,
    row_version      BIGINT      NOT NULL DEFAULT 0
);
-- One deployment in flight per service; several services can run canaries at once.
CREATE UNIQUE INDEX canary_deployments_one_in_flight ON canary_deployments (service)
    WHERE status IN ('active', 'paused');
CREATE INDEX canary_deployments_history ON canary_deployments (service, started_at DESC);

-- Request metrics per deployment, stage and side (canary or stable): counts and a fixed-bucket latency
-- histogram, so p95 comes from counts rather than stored samples.
CREATE TABLE canary_request_counts (
    deployment_id UUID     NOT NULL REFERENCES canary_deployments (id) ON DELETE CASCADE,
    stage         INTEGER  NOT NULL,
    arm           TEXT     NOT NULL CHECK (arm IN ('canary', 'stable')),
    bucket        SMALLINT NOT NULL,
    requests      BIGINT   NOT NULL DEFAULT 0,
    errors        BIGINT   NOT NULL DEFAULT 0,
    PRIMARY KEY (deployment_id, stage, arm, bucket)
);

ALTER TABLE feature_flag_changes DROP CONSTRAINT feature_flag_changes_scope_check;
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_scope_check
    CHECK (scope IN ('customer', 'organization', 'global', 'rollout', 'flag', 'canary'));
