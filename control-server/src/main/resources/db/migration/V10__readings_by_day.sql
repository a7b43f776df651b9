-- Readings in one partition per UTC day, so that readings older than wareedge.ingest.readings-retention go with a
-- DROP TABLE of whole days (ReadingsRetention) instead of row deletes, and one index per reading instead of four.
--
-- Before: a bigserial id (a sequence step and a primary-key entry per reading that no query needed), two partial
-- unique indexes (metric, reading id) and (metric, timestamp), and (device, timestamp) for a device's recent
-- readings: four index entries per reading, and the table grew forever.
--
-- Now one unique index (metric, timestamp, reading id) tells a replay, and serves a metric's readings in time order
-- (a device's recent readings are read metric by metric). A replayed reading carries the timestamp it was read at,
-- so the timestamp in the key changes nothing for replays. reading_id is -1 for nodes that number no readings
-- (foreign Sparkplug nodes): then, as before, the timestamp alone tells a replay. A number instead of NULL because
-- PostgreSQL 14 (the embedded server) has no NULLS NOT DISTINCT.
--
-- Readings whose day has no partition (older than the retention, or days ahead: a device clock that runs fast) go to
-- readings_default. ReadingsRetention creates each day's partition ahead of time, moving any rows of that day out of
-- the default partition first, and deletes rows older than the retention from it.
ALTER TABLE readings RENAME TO readings_before_v10;
ALTER INDEX readings_pkey RENAME TO readings_before_v10_pkey;
DROP INDEX readings_unique_reading_id;
DROP INDEX readings_unique_timestamp;
DROP INDEX readings_recent_by_device;

CREATE TABLE readings (
    metric_id    bigint      NOT NULL,
    device_id    bigint      NOT NULL,
    ts           timestamptz NOT NULL,
    reading_id   bigint      NOT NULL DEFAULT -1,
    value_double double precision,
    value_long   bigint,
    value_bool   boolean,
    value_text   text,
    value_bytes  bytea,
    quality      integer     NOT NULL,
    historical   boolean     NOT NULL DEFAULT false,
    stored_at    timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (ts);
CREATE TABLE readings_default PARTITION OF readings DEFAULT;
CREATE UNIQUE INDEX readings_key ON readings (metric_id, ts, reading_id);

INSERT INTO readings (metric_id, device_id, ts, reading_id, value_double, value_long, value_bool, value_text,
                      value_bytes, quality, historical, stored_at)
SELECT metric_id, device_id, ts, coalesce(reading_id, -1), value_double, value_long, value_bool, value_text,
       value_bytes, quality, historical, stored_at
FROM readings_before_v10
ON CONFLICT DO NOTHING;
DROP TABLE readings_before_v10;
