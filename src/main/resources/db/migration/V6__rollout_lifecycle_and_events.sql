-- Rollout lifecycle bookkeeping: consecutive threshold breaches seen by the auto-rollback checks,
-- and why and when a rollout was rolled back.
ALTER TABLE feature_rollouts
    ADD COLUMN breach_count    INTEGER NOT NULL DEFAULT 0 CHECK (breach_count >= 0),
    ADD COLUMN rollback_reason TEXT,
    ADD COLUMN rolled_back_at  TIMESTAMPTZ;
ALTER TABLE feature_rollouts ALTER COLUMN rollback_threshold SET DEFAULT
    '{"errorRate": 0.05, "timeWindowMs": 3600000, "minSamples": 100, "consecutiveBreaches": 2}'::jsonb;
