-- Change capture: whatever writes what the service serves (the API, a runbook's SQL, a migration, a
-- psql session) advances one revision per transaction, logs the changed keys under it and NOTIFYs them,
-- all in the writing transaction. Every replica hears the notice on commit, and one that missed it
-- finds the revision ahead of its own and catches up from the log.

-- One row: the revision of the last committed change. Its row lock orders writers, so revisions commit
-- in the order they were taken and a replica that has seen revision N has seen every change up to N.
CREATE TABLE change_revision (
    id        BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
    revision  BIGINT  NOT NULL,
    last_txid BIGINT  NOT NULL DEFAULT 0
);
INSERT INTO change_revision (revision) VALUES (0);

-- What changed at each revision; subject names the kind of thing, key which one ('' for all of them).
CREATE TABLE change_log (
    revision   BIGINT      NOT NULL,
    subject    TEXT        NOT NULL,
    key        TEXT        NOT NULL DEFAULT '',
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (revision, subject, key)
);
CREATE INDEX change_log_changed_at_idx ON change_log (changed_at);

-- Records one change in the caller's transaction and returns its revision. Also called directly by
-- what is not a table write (clearing the override caches of every replica).
CREATE FUNCTION rollgate_record_change(change_subject TEXT, change_key TEXT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    current_revision BIGINT;
    owner_txid       BIGINT;
BEGIN
    SELECT revision, last_txid INTO current_revision, owner_txid FROM change_revision;
    -- one revision per transaction: only the first change of a transaction advances it
    IF owner_txid IS DISTINCT FROM txid_current() THEN
        UPDATE change_revision SET revision = revision + 1, last_txid = txid_current()
        RETURNING revision INTO current_revision;
    END IF;
    INSERT INTO change_log (revision, subject, key) VALUES (current_revision, change_subject, coalesce(change_key, ''))
    ON CONFLICT DO NOTHING;
    PERFORM pg_notify('rollgate_changes', json_build_object(
        'subject', change_subject, 'key', coalesce(change_key, ''), 'revision', current_revision)::text);
    RETURN current_revision;
END $$;

-- Row trigger: TG_ARGV[0] is the subject, TG_ARGV[1] the column that holds the key.
CREATE FUNCTION rollgate_capture_change() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    old_key TEXT;
    new_key TEXT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_key := to_jsonb(OLD) ->> TG_ARGV[1];
        PERFORM rollgate_record_change(TG_ARGV[0], old_key);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_key := to_jsonb(NEW) ->> TG_ARGV[1];
        IF new_key IS DISTINCT FROM old_key THEN
            PERFORM rollgate_record_change(TG_ARGV[0], new_key);
        END IF;
    END IF;
    RETURN NULL;
END $$;

-- Rollouts: tiers under the seeds' names, so the runbooks' SQL (current_tier = 'tier_0_disabled') runs
-- as written; the API keeps speaking tier numbers.
ALTER TABLE feature_rollouts DROP CONSTRAINT feature_rollouts_current_tier_check;
ALTER TABLE feature_rollouts ALTER COLUMN current_tier DROP DEFAULT;
ALTER TABLE feature_rollouts ALTER COLUMN current_tier TYPE TEXT USING (
    CASE current_tier
        WHEN 0 THEN 'tier_0_disabled'
        WHEN 1 THEN 'tier_1_internal'
        WHEN 2 THEN 'tier_2_early_adopters'
        WHEN 3 THEN 'tier_3_general'
        ELSE 'tier_4_full'
    END);
ALTER TABLE feature_rollouts ALTER COLUMN current_tier SET DEFAULT 'tier_0_disabled';
ALTER TABLE feature_rollouts ADD CONSTRAINT feature_rollouts_current_tier_check CHECK (current_tier IN (
    'tier_0_disabled', 'tier_1_internal', 'tier_2_early_adopters', 'tier_3_general', 'tier_4_full'));

-- Rollouts and their events go by the feature's rollout name, as the runbooks query them
-- (WHERE feature_name = 'phase2_enhanced_storage'): the widget flag's alias, or the key of a flag
-- without one. flag_key ties the rollout to its flag.
ALTER TABLE feature_rollouts ADD COLUMN flag_key TEXT;
UPDATE feature_rollouts SET flag_key = feature_name;
ALTER TABLE feature_rollouts ALTER COLUMN flag_key SET NOT NULL;
ALTER TABLE feature_rollouts ADD CONSTRAINT feature_rollouts_flag_key_key UNIQUE (flag_key);
ALTER TABLE feature_rollouts DROP CONSTRAINT feature_rollouts_feature_name_fkey;
ALTER TABLE feature_rollouts ADD CONSTRAINT feature_rollouts_flag_key_fkey
    FOREIGN KEY (flag_key) REFERENCES feature_flags (flag_key) ON DELETE CASCADE;
UPDATE feature_rollouts r SET feature_name = f.alias
FROM feature_flags f WHERE f.flag_key = r.flag_key AND f.alias IS NOT NULL;
UPDATE rollout_events e SET feature_name = f.alias
FROM feature_flags f WHERE f.flag_key = e.feature_name AND f.alias IS NOT NULL;
UPDATE rollout_event_counts c SET feature_name = f.alias
FROM feature_flags f WHERE f.flag_key = c.feature_name AND f.alias IS NOT NULL;

-- The rollout name of a flag, given its key or its alias; null for no flag.
CREATE FUNCTION rollgate_rollout_name(name TEXT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT coalesce(alias, flag_key) FROM feature_flags WHERE flag_key = name OR alias = name LIMIT 1
$$;

-- A row written by hand gets what the service would have written with it: the flag it names, a new
-- version (so an API change based on an older read is refused), the time it entered its tier, and
-- when it was rolled back.
CREATE FUNCTION rollgate_rollout_bookkeeping() RETURNS TRIGGER
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
    IF NEW.current_tier <> OLD.current_tier AND NEW.tier_entered_at IS NOT DISTINCT FROM OLD.tier_entered_at THEN
        NEW.tier_entered_at := now();
    END IF;
    IF NEW.status = 'rolled_back' AND OLD.status <> 'rolled_back'
            AND NEW.rolled_back_at IS NOT DISTINCT FROM OLD.rolled_back_at THEN
        NEW.rolled_back_at := now();
        NEW.rollback_reason := coalesce(NEW.rollback_reason, 'Rolled back in SQL by ' || current_user);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER feature_rollouts_bookkeeping BEFORE INSERT OR UPDATE ON feature_rollouts
    FOR EACH ROW EXECUTE FUNCTION rollgate_rollout_bookkeeping();

-- The other tables with a version: a hand-written UPDATE still advances it.
CREATE FUNCTION rollgate_bump_version() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) ->> TG_ARGV[0]) = (to_jsonb(OLD) ->> TG_ARGV[0]) THEN
        NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], (to_jsonb(OLD) ->> TG_ARGV[0])::bigint + 1));
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER feature_flags_version BEFORE UPDATE ON feature_flags
    FOR EACH ROW EXECUTE FUNCTION rollgate_bump_version('version');
CREATE TRIGGER customer_feature_flags_version BEFORE UPDATE ON customer_feature_flags
    FOR EACH ROW EXECUTE FUNCTION rollgate_bump_version('version');
CREATE TRIGGER organization_feature_flags_version BEFORE UPDATE ON organization_feature_flags
    FOR EACH ROW EXECUTE FUNCTION rollgate_bump_version('version');
CREATE TRIGGER canary_deployments_version BEFORE UPDATE ON canary_deployments
    FOR EACH ROW EXECUTE FUNCTION rollgate_bump_version('row_version');

-- Change capture on every table the service serves from.
CREATE TRIGGER feature_flags_changes AFTER INSERT OR UPDATE OR DELETE ON feature_flags
    FOR EACH ROW EXECUTE FUNCTION rollgate_capture_change('flag', 'flag_key');
CREATE TRIGGER feature_rollouts_changes AFTER INSERT OR UPDATE OR DELETE ON feature_rollouts
    FOR EACH ROW EXECUTE FUNCTION rollgate_capture_change('rollout', 'flag_key');
CREATE TRIGGER customer_feature_flags_changes AFTER INSERT OR UPDATE OR DELETE ON customer_feature_flags
    FOR EACH ROW EXECUTE FUNCTION rollgate_capture_change('customer', 'customer_id');
CREATE TRIGGER organization_feature_flags_changes AFTER INSERT OR UPDATE OR DELETE ON organization_feature_flags
    FOR EACH ROW EXECUTE FUNCTION rollgate_capture_change('organization', 'organization_id');
CREATE TRIGGER api_tokens_changes AFTER INSERT OR UPDATE OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION rollgate_capture_change('token', 'id');
CREATE TRIGGER canary_deployments_changes AFTER INSERT OR UPDATE OR DELETE ON canary_deployments
    FOR EACH ROW EXECUTE FUNCTION rollgate_capture_change('canary', 'service');
