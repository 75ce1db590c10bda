-- Generic flags (seed 004): targeting rules and a percentage ramp on any flag.
ALTER TABLE feature_flags
    ADD COLUMN rules              JSONB    NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(rules) = 'array'),
    ADD COLUMN rollout_percentage SMALLINT CHECK (rollout_percentage BETWEEN 0 AND 100);

-- The catalog's version and last update (seed 004's configuration document), bumped by every flag write,
-- so clients can tell that something changed.
CREATE TABLE catalog_state (
    id           BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    version      BIGINT      NOT NULL,
    last_updated TIMESTAMPTZ NOT NULL
);
INSERT INTO catalog_state (version, last_updated) VALUES (1, now());

-- Flag definitions are audited too: scope 'flag', with the definition before and after in details.
ALTER TABLE feature_flag_changes DROP CONSTRAINT feature_flag_changes_scope_check;
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_scope_check
    CHECK (scope IN ('customer', 'organization', 'global', 'rollout', 'flag'));
