-- Managed API tokens: only a salted SHA-256 of the secret is stored; the secret is shown once.
CREATE TABLE api_tokens (
    id              UUID PRIMARY KEY,
    name            TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9 ._:-]{1,64}$'),
    role            TEXT        NOT NULL
                    CHECK (role IN ('admin', 'operator', 'organization-operator', 'viewer', 'ingest', 'evaluation')),
    organization_id TEXT        CHECK (organization_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    salt            BYTEA       NOT NULL,
    secret_hash     BYTEA       NOT NULL,
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at      TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ,
    revoked_by      TEXT,
    CHECK ((role = 'organization-operator') = (organization_id IS NOT NULL))
);

ALTER TABLE feature_flag_changes DROP CONSTRAINT feature_flag_changes_scope_check;
ALTER TABLE feature_flag_changes ADD CONSTRAINT feature_flag_changes_scope_check
    CHECK (scope IN ('customer', 'organization', 'global', 'rollout', 'flag', 'canary', 'token'));
