-- When a change was logged, in the order revisions are taken: now() is the time its transaction began, so a long
-- transaction's entry looked older than the entries of shorter ones committed before it, and pruning by age could
-- drop it while keeping later revisions (a replica catching up then found a hole and reloaded everything). The
-- entry is written once the revision row lock is held, so the clock at that moment follows the revisions.
ALTER TABLE change_log ALTER COLUMN changed_at SET DEFAULT clock_timestamp();
