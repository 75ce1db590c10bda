-- Partial flag documents per customer and per organization (seed 001). Ids are opaque caller strings.
CREATE TABLE customer_feature_flags (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id TEXT        NOT NULL UNIQUE
                CHECK (customer_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    flags       JSONB       NOT NULL DEFAULT '{}'::jsonb
                CHECK (jsonb_typeof(flags) = 'object'),
    version     BIGINT      NOT NULL DEFAULT 0,
    updated_by  TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE organization_feature_flags (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id TEXT        NOT NULL UNIQUE
                    CHECK (organization_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    flags           JSONB       NOT NULL DEFAULT '{}'::jsonb
                    CHECK (jsonb_typeof(flags) = 'object'),
    version         BIGINT      NOT NULL DEFAULT 0,
    updated_by      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The UNIQUE constraints index customer_id and organization_id, the only lookup keys.
