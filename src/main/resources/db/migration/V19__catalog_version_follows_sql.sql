-- The catalog version moves with every change of flag definitions, however it is made: the service bumps it, and
-- so does a runbook's UPDATE in psql (an emergency kill switch), once per transaction. A configuration document
-- exported before such a change no longer passes its version check, and a bootstrap file, applied only to a
-- catalog nobody has changed, cannot turn the kill back on at the next restart. (A later migration that changes
-- feature_flags moves the version too; one meant to leave the catalog untouched for a bootstrap file resets it.)
ALTER TABLE catalog_state ADD COLUMN last_txid BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION rollgate_bump_catalog_version() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_state SET version = version + 1, last_updated = now(), last_txid = txid_current()
    WHERE last_txid IS DISTINCT FROM txid_current();
    RETURN NULL;
END $$;

CREATE TRIGGER feature_flags_catalog_version
    AFTER INSERT OR UPDATE OR DELETE ON feature_flags
    FOR EACH STATEMENT EXECUTE FUNCTION rollgate_bump_catalog_version();
