-- A starting replica rehearses an audited change before it reports ready (the classes and code of the write path
-- loaded and run once, so the first real change after a deploy reaches open streams as fast as later ones), and
-- rolls it back. Its transaction says so with SET LOCAL rollgate.rehearsal = 'on': it logs no keys and takes no
-- revision, so it never holds the revision row that every write of every replica waits on, and no notice is due.
-- Such a transaction can never commit: a change no replica heard of would be served by none of them until restart.
-- It leaves a row below, and a deferred check fails the COMMIT of any transaction that left one.
CREATE UNLOGGED TABLE change_rehearsal (txid BIGINT NOT NULL);

CREATE FUNCTION rollgate_refuse_rehearsal() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a rehearsed change (rollgate.rehearsal = on) is never committed; roll it back';
END $$;

CREATE CONSTRAINT TRIGGER change_rehearsal_never_commits AFTER INSERT ON change_rehearsal
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rollgate_refuse_rehearsal();

CREATE OR REPLACE FUNCTION rollgate_record_changes(change_subject TEXT, change_keys TEXT[]) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    current_revision BIGINT;
    owner_txid       BIGINT;
BEGIN
    IF current_setting('rollgate.rehearsal', true) = 'on' THEN
        INSERT INTO change_rehearsal (txid) VALUES (txid_current());
        RETURN NULL;
    END IF;
    SELECT revision, last_txid INTO current_revision, owner_txid FROM change_revision;
    IF owner_txid IS DISTINCT FROM txid_current() THEN
        UPDATE change_revision SET revision = revision + 1, last_txid = txid_current()
        RETURNING revision INTO current_revision;
    END IF;
    INSERT INTO change_log (revision, subject, key)
    SELECT current_revision, change_subject, coalesce(changed, '') FROM unnest(change_keys) AS changed
    ON CONFLICT DO NOTHING;
    RETURN current_revision;
END $$;
