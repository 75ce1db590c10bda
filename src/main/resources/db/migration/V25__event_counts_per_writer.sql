-- Per-minute counters are kept per writer: the writers of a replica store event batches side by side, and while
-- they added to the same counter rows (one hot rollout's minute) each waited for the one before it to commit,
-- its flush to disk included, so they stored one after another. A writer now adds to rows of its own; readers
-- sum a minute's rows. Writers of different replicas still share a row with the same number.
ALTER TABLE rollout_event_counts ADD COLUMN writer SMALLINT NOT NULL DEFAULT 0 CHECK (writer >= 0);
ALTER TABLE rollout_event_counts DROP CONSTRAINT rollout_event_counts_pkey;
ALTER TABLE rollout_event_counts ADD PRIMARY KEY (feature_name, minute, event, writer);
