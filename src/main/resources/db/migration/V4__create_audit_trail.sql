-- One row per changed flag leaf, written in the transaction of the change (seed 001 audit trail).
CREATE TABLE feature_flag_changes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope           TEXT        NOT NULL CHECK (scope IN ('customer', 'organization', 'global')),
    customer_id     TEXT,
    organization_id TEXT,
    flag_path       TEXT        NOT NULL,
    old_value       BOOLEAN,
    new_value       BOOLEAN,
    changed_by      TEXT        NOT NULL,
    changed_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason          TEXT,
    CHECK ((scope = 'customer') = (customer_id IS NOT NULL)),
    CHECK ((scope = 'organization') = (organization_id IS NOT NULL))
);

CREATE INDEX feature_flag_changes_time_idx ON feature_flag_changes (changed_at DESC, id DESC);
CREATE INDEX feature_flag_changes_customer_idx ON feature_flag_changes (customer_id, changed_at DESC)
    WHERE customer_id IS NOT NULL;
CREATE INDEX feature_flag_changes_organization_idx ON feature_flag_changes (organization_id, changed_at DESC)
    WHERE organization_id IS NOT NULL;
CREATE INDEX feature_flag_changes_flag_idx ON feature_flag_changes (flag_path, changed_at DESC);

-- Append-only, whoever asks: the database itself refuses to rewrite history.
CREATE FUNCTION feature_flag_changes_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'feature_flag_changes is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER feature_flag_changes_no_update_delete
    BEFORE UPDATE OR DELETE ON feature_flag_changes
    FOR EACH ROW EXECUTE FUNCTION feature_flag_changes_append_only();

CREATE TRIGGER feature_flag_changes_no_truncate
    BEFORE TRUNCATE ON feature_flag_changes
    FOR EACH STATEMENT EXECUTE FUNCTION feature_flag_changes_append_only();
