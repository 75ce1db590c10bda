-- Flag hygiene: when each flag was last evaluated (recorded by every replica from memory, never on the
-- hot path) and whether it is meant to stay (a kill switch, say). Kept apart from feature_flags so that
-- recording usage is not a catalog change.
CREATE TABLE flag_usage (
    flag_key          TEXT PRIMARY KEY REFERENCES feature_flags (flag_key) ON DELETE CASCADE,
    last_evaluated_at TIMESTAMPTZ,
    permanent         BOOLEAN NOT NULL DEFAULT false
);
