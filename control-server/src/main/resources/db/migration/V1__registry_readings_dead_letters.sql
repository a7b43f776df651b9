-- Device registry, live state, readings and dead letters of the Sparkplug host.
-- Timestamps are timestamptz; surrogate keys keep the hot readings table narrow.

CREATE TABLE edge_nodes (
    id           bigserial PRIMARY KEY,
    group_id     text        NOT NULL,
    node_id      text        NOT NULL,
    online       boolean     NOT NULL DEFAULT false,
    bd_seq       bigint,
    birth_at     timestamptz,
    death_at     timestamptz,
    UNIQUE (group_id, node_id)
);

-- device_id '' holds the edge node's own metrics (NBIRTH/NDATA); the API does not list it as a device.
CREATE TABLE devices (
    id           bigserial PRIMARY KEY,
    edge_node_id bigint      NOT NULL REFERENCES edge_nodes (id),
    device_id    text        NOT NULL,
    online       boolean     NOT NULL DEFAULT false,
    profile      text,
    kind         text,
    birth_at     timestamptz,
    death_at     timestamptz,
    last_seen_at timestamptz,
    UNIQUE (edge_node_id, device_id)
);

-- One row per device metric: its definition (type, unit) and last value.
CREATE TABLE metrics (
    id           bigserial PRIMARY KEY,
    device_id    bigint      NOT NULL REFERENCES devices (id),
    name         text        NOT NULL,
    data_type    text        NOT NULL,
    unit         text,
    value_double double precision,
    value_long   bigint,
    value_bool   boolean,
    value_text   text,
    value_bytes  bytea,
    quality      integer,
    value_ts     timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (device_id, name)
);

-- Every value received. No foreign keys: the insert path is the hot one, and ids come from the tables above.
CREATE TABLE readings (
    id           bigserial PRIMARY KEY,
    metric_id    bigint      NOT NULL,
    device_id    bigint      NOT NULL,
    ts           timestamptz NOT NULL,
    reading_id   bigint,
    value_double double precision,
    value_long   bigint,
    value_bool   boolean,
    value_text   text,
    value_bytes  bytea,
    quality      integer     NOT NULL,
    historical   boolean     NOT NULL DEFAULT false
);
-- Idempotence: a metric id stands for (edge node, device, metric), so these are the keys
-- (edge node, device, metric, reading id) for our agents and (edge node, device, metric, timestamp) for foreign nodes.
CREATE UNIQUE INDEX readings_unique_reading_id ON readings (metric_id, reading_id) WHERE reading_id IS NOT NULL;
CREATE UNIQUE INDEX readings_unique_timestamp ON readings (metric_id, ts) WHERE reading_id IS NULL;
CREATE INDEX readings_recent_by_device ON readings (device_id, ts DESC);

CREATE TABLE dead_letters (
    id           bigserial PRIMARY KEY,
    received_at  timestamptz NOT NULL,
    source       text        NOT NULL,
    source_id    bigint,
    device       text,
    topic        text        NOT NULL,
    kind         text        NOT NULL,
    detail       text,
    payload      bytea
);
-- An agent re-forwards a dead letter after an uplink outage: store it once.
CREATE UNIQUE INDEX dead_letters_unique_source_id ON dead_letters (source, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX dead_letters_recent ON dead_letters (received_at DESC);
