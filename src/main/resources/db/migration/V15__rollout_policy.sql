-- Rollouts that run themselves: the policy they follow (null: the original rollback-threshold-only
-- behaviour), why one was paused, and the record of their outcomes (pauses, rollbacks, time in each tier),
-- which the database keeps however the rollout was changed.
ALTER TABLE feature_rollouts
    ADD COLUMN policy         JSONB,
    ADD COLUMN pause_reason   TEXT,
    ADD COLUMN pause_count    INTEGER NOT NULL DEFAULT 0 CHECK (pause_count >= 0),
    ADD COLUMN rollback_count INTEGER NOT NULL DEFAULT 0 CHECK (rollback_count >= 0),
    ADD COLUMN tier_history   JSONB   NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(tier_history) = 'array');
UPDATE feature_rollouts SET rollback_count = 1 WHERE status = 'rolled_back';

-- The bookkeeping of hand-written rows, now also counting pauses and rollbacks and recording each tier
-- left (the API's writes get the same).
CREATE OR REPLACE FUNCTION rollgate_rollout_bookkeeping() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.flag_key IS NULL THEN
            SELECT flag_key INTO NEW.flag_key FROM feature_flags
            WHERE flag_key = NEW.feature_name OR alias = NEW.feature_name LIMIT 1;
        END IF;
        NEW.feature_name := coalesce(rollgate_rollout_name(NEW.flag_key), NEW.feature_name);
        RETURN NEW;
    END IF;
    IF NEW.version = OLD.version THEN
        NEW.version := OLD.version + 1;
        NEW.updated_at := now();
    END IF;
    IF NEW.current_tier <> OLD.current_tier THEN
        IF NEW.tier_entered_at IS NOT DISTINCT FROM OLD.tier_entered_at THEN
            NEW.tier_entered_at := now();
        END IF;
        IF OLD.tier_entered_at IS NOT NULL THEN
            NEW.tier_history := OLD.tier_history || jsonb_build_array(jsonb_build_object(
                'tier', OLD.current_tier, 'enteredAt', OLD.tier_entered_at, 'leftAt', NEW.tier_entered_at));
        END IF;
    END IF;
    IF NEW.status = 'rolled_back' AND OLD.status <> 'rolled_back' THEN
        NEW.rollback_count := OLD.rollback_count + 1;
        IF NEW.rolled_back_at IS NOT DISTINCT FROM OLD.rolled_back_at THEN
            NEW.rolled_back_at := now();
            NEW.rollback_reason := coalesce(NEW.rollback_reason, 'Rolled back in SQL by ' || current_user);
        END IF;
    END IF;
    IF NEW.status = 'paused' AND OLD.status <> 'paused' THEN
        NEW.pause_count := OLD.pause_count + 1;
    END IF;
    RETURN NEW;
END $$;
