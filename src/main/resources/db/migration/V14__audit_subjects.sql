-- Audit entries say what kind of thing changed (subject_type) and which one (subject). flag_path keeps
-- its meaning for flag changes (the flag's path); canary and token entries carry the service or token
-- in subject instead of posing as flags.
ALTER TABLE feature_flag_changes
    ADD COLUMN subject_type TEXT,
    ADD COLUMN subject      TEXT;

-- Rewriting history once, here, is the one exception to append-only: the rows keep every value and only
-- gain their subject.
ALTER TABLE feature_flag_changes DISABLE TRIGGER feature_flag_changes_no_update_delete;
UPDATE feature_flag_changes SET
    subject_type = CASE scope
        WHEN 'customer' THEN 'override'
        WHEN 'organization' THEN 'override'
        WHEN 'global' THEN 'flag'
        ELSE scope
    END,
    subject = CASE scope
        WHEN 'customer' THEN 'customer:' || customer_id
        WHEN 'organization' THEN 'organization:' || organization_id
        -- token entries named the token in flag_path and kept its id in details
        WHEN 'token' THEN coalesce(details ->> 'id', flag_path)
        ELSE flag_path
    END;
ALTER TABLE feature_flag_changes ALTER COLUMN flag_path DROP NOT NULL;
UPDATE feature_flag_changes SET flag_path = NULL WHERE scope IN ('canary', 'token');
ALTER TABLE feature_flag_changes ENABLE TRIGGER feature_flag_changes_no_update_delete;

ALTER TABLE feature_flag_changes ALTER COLUMN subject_type SET NOT NULL;
ALTER TABLE feature_flag_changes ALTER COLUMN subject SET NOT NULL;
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_subject_type_check
    CHECK (subject_type IN ('flag', 'override', 'rollout', 'canary', 'token'));
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_flag_path_check
    CHECK ((flag_path IS NULL) = (subject_type IN ('canary', 'token')));
CREATE INDEX feature_flag_changes_subject_idx ON feature_flag_changes (subject_type, subject, changed_at DESC);
