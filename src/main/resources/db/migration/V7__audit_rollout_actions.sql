-- One audit trail for flag values and rollout actions: rollout rows carry the action and a JSON
-- snapshot (before, after, forced, metrics) instead of a boolean old/new value.
ALTER TABLE feature_flag_changes DROP CONSTRAINT feature_flag_changes_scope_check;
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_scope_check
    CHECK (scope IN ('customer', 'organization', 'global', 'rollout'));
ALTER TABLE feature_flag_changes
    ADD COLUMN action  TEXT NOT NULL DEFAULT 'set',
    ADD COLUMN details JSONB;
