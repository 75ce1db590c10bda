-- The history of revisions a replica has applied can be replaced under it: a restore puts the database back in
-- time, a failover can promote a standby that lacked the last commits. A replica that finds the revision lower than
-- what it applied knows; one that finds it higher may not (writes after the restore can pass the old number). The
-- generation tells: the restore runbook bumps it (docs/operations.md), and every replica that sees it move
-- resets its baseline and reloads everything.
ALTER TABLE change_revision ADD COLUMN generation BIGINT NOT NULL DEFAULT 1;
