-- Segments: named audiences that any flag's rules can target ({"type": "segment", "value": ["beta-testers"]}).
-- A targeting key in excluded is never in the segment, one in included always is, anyone else is when one of the
-- rules (the flags' rule shapes: user, group, environment, attribute) matches.
CREATE TABLE segments (
    segment_key TEXT        PRIMARY KEY CHECK (segment_key ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    description TEXT        NOT NULL DEFAULT '',
    included    TEXT[]      NOT NULL DEFAULT '{}',
    excluded    TEXT[]      NOT NULL DEFAULT '{}',
    rules       JSONB       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rules) = 'array'),
    version     BIGINT      NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Like every table the service serves from: whoever writes it (the API, a runbook's SQL), every replica hears it in
-- the same transaction's revision; and the configuration document, which holds the segments, moves its version.
CREATE TRIGGER segments_version BEFORE UPDATE ON segments
    FOR EACH ROW EXECUTE FUNCTION rollgate_bump_version('version');
CREATE TRIGGER segments_changes AFTER INSERT OR UPDATE OR DELETE ON segments
    FOR EACH ROW EXECUTE FUNCTION rollgate_capture_change('segment', 'segment_key');
CREATE TRIGGER segments_catalog_version AFTER INSERT OR UPDATE OR DELETE ON segments
    FOR EACH STATEMENT EXECUTE FUNCTION rollgate_bump_catalog_version();

-- Segment changes are audited like every other definition.
ALTER TABLE feature_flag_changes DROP CONSTRAINT feature_flag_changes_scope_check;
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_scope_check
    CHECK (scope IN ('customer', 'organization', 'global', 'rollout', 'flag', 'canary', 'token', 'segment'));
ALTER TABLE feature_flag_changes DROP CONSTRAINT feature_flag_changes_subject_type_check;
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_subject_type_check
    CHECK (subject_type IN ('flag', 'override', 'rollout', 'canary', 'token', 'segment'));
ALTER TABLE feature_flag_changes DROP CONSTRAINT feature_flag_changes_flag_path_check;
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_flag_path_check
    CHECK ((flag_path IS NULL) = (subject_type IN ('canary', 'token', 'segment')));
