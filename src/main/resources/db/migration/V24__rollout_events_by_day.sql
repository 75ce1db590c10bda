-- Raw rollout events in daily partitions (UTC days): retention drops a day whole instead of deleting its rows one
-- by one, and a query bounded in time reads only the days it names. The table keeps its name and columns, so the
-- runbooks' queries run unchanged.
--
-- The events stored so far stay where they are: their table becomes the first partition, covering everything before
-- the day after tomorrow (an event may carry a timestamp a few minutes ahead), and is dropped whole once that
-- bound has passed the retention. Attaching it reads it once to check the bound, and builds the one new index on
-- it: on a large table this migration takes as long as that read and that build.

ALTER TABLE rollout_events RENAME TO rollout_events_before_days;
-- a partitioned table cannot have an identity column before PostgreSQL 17: ids come from a plain sequence
ALTER TABLE rollout_events_before_days ALTER COLUMN id DROP IDENTITY;
-- nothing reads an event by its id; a unique index on a partitioned table would have to include the timestamp,
-- and each index is paid on every insert
ALTER TABLE rollout_events_before_days DROP CONSTRAINT rollout_events_pkey;
-- the time-window reads go through (feature, event, time) with the four event types named
DROP INDEX rollout_events_feature_time_idx;
-- a partition has the CHECK constraints of its table, under the same names
ALTER TABLE rollout_events_before_days DROP CONSTRAINT rollout_events_customer_id_check,
    ADD CONSTRAINT rollout_events_customer_id_check
        CHECK (customer_id ~ '^[A-Za-z0-9._:-]+$' AND length(customer_id) <= 128);
ALTER INDEX rollout_events_feature_event_time_idx RENAME TO rollout_events_before_days_feature_event_time_idx;

CREATE SEQUENCE rollout_events_id_seq;
SELECT setval('rollout_events_id_seq', coalesce((SELECT max(id) FROM rollout_events_before_days), 0) + 1, false);

CREATE TABLE rollout_events (
    id           BIGINT      NOT NULL DEFAULT nextval('rollout_events_id_seq'),
    feature_name TEXT        NOT NULL,
    -- the same rule as before, written so that it is cheap: a bounded repetition ({1,128}) made PostgreSQL's regular
    -- expression cost more than the rest of an event's insert
    customer_id  TEXT        CONSTRAINT rollout_events_customer_id_check
                                 CHECK (customer_id ~ '^[A-Za-z0-9._:-]+$' AND length(customer_id) <= 128),
    event        TEXT        NOT NULL CONSTRAINT rollout_events_event_check
                                 CHECK (event IN ('enabled', 'disabled', 'success', 'error')),
    metadata     JSONB       NOT NULL DEFAULT '{}'::jsonb,
    "timestamp"  TIMESTAMPTZ NOT NULL DEFAULT now(),
    batch_id     TEXT
) PARTITION BY RANGE ("timestamp");
ALTER SEQUENCE rollout_events_id_seq OWNED BY rollout_events.id;

-- A feature's events by type over a window (the automatic check, the rollout page, the runbooks' per-feature
-- queries); recent errors across features (the runbooks' recent and top errors), errors only, so the other events
-- cost it nothing; a block range index for a window over every feature and type (the error rate of the last hour),
-- which costs next to nothing per insert because events arrive in time order.
CREATE INDEX rollout_events_feature_event_time_idx ON rollout_events (feature_name, event, "timestamp" DESC);
CREATE INDEX rollout_events_error_time_idx ON rollout_events ("timestamp" DESC) WHERE event = 'error';
CREATE INDEX rollout_events_time_brin ON rollout_events USING brin ("timestamp");

-- (a new installation has no events yet: its table goes, and the days below are all there is)
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM rollout_events_before_days) THEN
        EXECUTE format('ALTER TABLE rollout_events ATTACH PARTITION rollout_events_before_days '
                       'FOR VALUES FROM (MINVALUE) TO (%L)',
                       date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '2 days');
    ELSE
        DROP TABLE rollout_events_before_days;
    END IF;
END $$;

-- Each partition with its bounds (null for MINVALUE), read from the catalog, and whether a concurrent detach of it is
-- unfinished.
CREATE FUNCTION rollgate_event_partitions()
    RETURNS TABLE (name TEXT, lower_bound TIMESTAMPTZ, upper_bound TIMESTAMPTZ, detaching BOOLEAN)
    LANGUAGE sql STABLE AS $$
    SELECT c.relname::text,
           substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \(''([^'']+)''\)')::timestamptz,
           substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz,
           i.inhdetachpending
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'rollout_events'::regclass
$$;

-- Creates every day no partition covers, from the oldest day the retention still accepts events for at the moment
-- "at" to days_ahead after that day; answers how many it created. A new day is made beside the table and then
-- attached, which takes a lock that lets inserts and reads go on (creating it as a partition directly would stop
-- them for a moment).
CREATE FUNCTION rollgate_event_partitions_ahead(at TIMESTAMPTZ, retention INTERVAL, days_ahead INTEGER)
    RETURNS INTEGER
    LANGUAGE plpgsql AS $$
DECLARE
    day      TIMESTAMPTZ := date_trunc('day', (at - retention) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    last_day TIMESTAMPTZ := date_trunc('day', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                            + make_interval(days => days_ahead);
    part     TEXT;
    created  INTEGER := 0;
BEGIN
    -- two replicas starting together create each day once
    PERFORM pg_advisory_xact_lock(hashtext('rollgate: rollout_events partitions'));
    WHILE day <= last_day LOOP
        IF NOT EXISTS (SELECT 1 FROM rollgate_event_partitions() p
                       WHERE coalesce(p.lower_bound <= day, true) AND p.upper_bound > day) THEN
            part := 'rollout_events_' || to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD');
            EXECUTE format('CREATE TABLE %I (LIKE rollout_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
            EXECUTE format('ALTER TABLE rollout_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           part, day, day + interval '1 day');
            created := created + 1;
        END IF;
        day := day + interval '1 day';
    END LOOP;
    RETURN created;
END $$;

SELECT rollgate_event_partitions_ahead(now(), interval '7 days', 3);
