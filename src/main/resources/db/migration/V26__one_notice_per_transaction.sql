-- One notice per transaction, naming what changed. A runbook's UPDATE of a hundred thousand override documents, or
-- a flag deleted from all of them, used to send a notice per row, and every replica then dropped and re-rendered
-- once per notice. Now each statement logs its keys in one step (its transition tables), and the transaction sends
-- one notice when it commits: the keys themselves when they are few, otherwise the revision alone, and replicas read
-- the keys from the change log in one query. A TRUNCATE, which no row trigger saw, is logged as every key of its
-- subject.

-- Logs keys of one subject under the caller's transaction's revision (taken by its first change) and answers it.
CREATE FUNCTION rollgate_record_changes(change_subject TEXT, change_keys TEXT[]) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    current_revision BIGINT;
    owner_txid       BIGINT;
BEGIN
    SELECT revision, last_txid INTO current_revision, owner_txid FROM change_revision;
    IF owner_txid IS DISTINCT FROM txid_current() THEN
        UPDATE change_revision SET revision = revision + 1, last_txid = txid_current()
        RETURNING revision INTO current_revision;
    END IF;
    INSERT INTO change_log (revision, subject, key)
    SELECT current_revision, change_subject, coalesce(changed, '') FROM unnest(change_keys) AS changed
    ON CONFLICT DO NOTHING;
    RETURN current_revision;
END $$;

-- Still called directly for what is no table write (clearing the override caches of every replica).
CREATE OR REPLACE FUNCTION rollgate_record_change(change_subject TEXT, change_key TEXT) RETURNS BIGINT
LANGUAGE sql AS $$
    SELECT rollgate_record_changes(change_subject, ARRAY[coalesce(change_key, '')])
$$;

-- Statement trigger: TG_ARGV[0] is the subject, TG_ARGV[1] the column that holds the key. An UPDATE logs the keys
-- before and after (a row can move from one key to another).
CREATE FUNCTION rollgate_capture_changes() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    changed_keys TEXT[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM rollgate_record_changes(TG_ARGV[0], ARRAY['']);
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I::text) FROM rollgate_new_rows', TG_ARGV[1]) INTO changed_keys;
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I::text) FROM rollgate_old_rows', TG_ARGV[1]) INTO changed_keys;
    ELSE
        EXECUTE format('SELECT array_agg(DISTINCT changed) FROM (SELECT %1$I::text AS changed FROM rollgate_old_rows '
                || 'UNION ALL SELECT %1$I::text FROM rollgate_new_rows) AS both_sides', TG_ARGV[1]) INTO changed_keys;
    END IF;
    -- a statement that touched no row is no change: it takes no revision
    IF changed_keys IS NOT NULL THEN
        PERFORM rollgate_record_changes(TG_ARGV[0], changed_keys);
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    captured RECORD;
BEGIN
    FOR captured IN SELECT * FROM (VALUES
            ('feature_flags', 'flag', 'flag_key'),
            ('feature_rollouts', 'rollout', 'flag_key'),
            ('customer_feature_flags', 'customer', 'customer_id'),
            ('organization_feature_flags', 'organization', 'organization_id'),
            ('api_tokens', 'token', 'id'),
            ('canary_deployments', 'canary', 'service'),
            ('segments', 'segment', 'segment_key')) AS t (tbl, subject, key_column) LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', captured.tbl || '_changes', captured.tbl);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS rollgate_new_rows '
                || 'FOR EACH STATEMENT EXECUTE FUNCTION rollgate_capture_changes(%L, %L)',
                captured.tbl || '_inserted', captured.tbl, captured.subject, captured.key_column);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I '
                || 'REFERENCING OLD TABLE AS rollgate_old_rows NEW TABLE AS rollgate_new_rows '
                || 'FOR EACH STATEMENT EXECUTE FUNCTION rollgate_capture_changes(%L, %L)',
                captured.tbl || '_updated', captured.tbl, captured.subject, captured.key_column);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS rollgate_old_rows '
                || 'FOR EACH STATEMENT EXECUTE FUNCTION rollgate_capture_changes(%L, %L)',
                captured.tbl || '_deleted', captured.tbl, captured.subject, captured.key_column);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                || 'FOR EACH STATEMENT EXECUTE FUNCTION rollgate_capture_changes(%L, %L)',
                captured.tbl || '_truncated', captured.tbl, captured.subject, captured.key_column);
    END LOOP;
END $$;
DROP FUNCTION rollgate_capture_change();

-- The notice, sent once per transaction as it commits (a deferred trigger on the revision it took): the revision
-- and its keys by subject when they fit comfortably in a notice (8,000 bytes at most), otherwise the revision, the
-- subjects and how many keys each, with "truncated", and every replica reads the keys from the change log.
CREATE FUNCTION rollgate_notify_changes() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    logged  INT;
    payload TEXT;
BEGIN
    SELECT count(*) INTO logged FROM (SELECT 1 FROM change_log WHERE revision = NEW.revision LIMIT 101) AS few;
    IF logged BETWEEN 1 AND 100 THEN
        SELECT json_build_object('revision', NEW.revision, 'changes', json_object_agg(subject, keys))::text
        INTO payload
        FROM (SELECT subject, json_agg(key ORDER BY key) AS keys FROM change_log
              WHERE revision = NEW.revision GROUP BY subject) AS by_subject;
    END IF;
    IF payload IS NULL OR octet_length(payload) > 7000 THEN
        SELECT json_build_object('revision', NEW.revision, 'truncated', true,
                'counts', coalesce(json_object_agg(subject, keys), '{}'::json))::text
        INTO payload
        FROM (SELECT subject, count(*) AS keys FROM change_log
              WHERE revision = NEW.revision GROUP BY subject) AS by_subject;
    END IF;
    PERFORM pg_notify('rollgate_changes', payload);
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER change_revision_notify AFTER UPDATE ON change_revision
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.revision IS DISTINCT FROM OLD.revision)
    EXECUTE FUNCTION rollgate_notify_changes();
