-- When the server stored each reading (its ingest transaction's time): the other end of the
-- "device publish to server state" latency, and useful for finding late, replayed data.
ALTER TABLE readings ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
