-- The flag catalog: one row per flag. The engine reads it into an in-memory snapshot.
CREATE TABLE feature_flags (
    flag_key             TEXT PRIMARY KEY
                         CHECK (flag_key ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
    alias                TEXT UNIQUE
                         CHECK (alias IS NULL OR alias ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
    description          TEXT        NOT NULL DEFAULT '',
    flag_group           TEXT        NOT NULL DEFAULT 'default',
    -- false is the global kill switch: the flag evaluates false whatever the overrides say
    enabled              BOOLEAN     NOT NULL DEFAULT TRUE,
    default_value        BOOLEAN     NOT NULL DEFAULT FALSE,
    environment_defaults JSONB       NOT NULL DEFAULT '{}'::jsonb
                         CHECK (jsonb_typeof(environment_defaults) = 'object'),
    prerequisites        TEXT[]      NOT NULL DEFAULT '{}',
    sort_order           INTEGER     NOT NULL DEFAULT 0,
    version              BIGINT      NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX feature_flags_group_idx ON feature_flags (flag_group, sort_order);
