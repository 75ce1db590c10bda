-- A batch id names a batch of one reporter (the ingest token's principal, in received_by): two reporters with
-- the same naming scheme no longer drop each other's batches as duplicates, and the content hash tells a retry
-- of a batch (acknowledged again) from other events sent under a used id (refused). Batches stored before this
-- have no hash and are taken as retries, as they were.
ALTER TABLE rollout_event_batches ADD COLUMN content_hash TEXT;
ALTER TABLE rollout_event_batches DROP CONSTRAINT rollout_event_batches_pkey;
ALTER TABLE rollout_event_batches ADD PRIMARY KEY (received_by, batch_id);
