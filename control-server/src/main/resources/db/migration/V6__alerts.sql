-- Fault alerts (ISA-18.2 ideas): one row per alert, one alert per fault. A fault is a rule's condition on one source
-- (a device, a sorter's KPI, an area's flood). The partial unique index is the guarantee that a fault never has two
-- open alerts, whatever a replay, a restart or a second engine does.
ALTER TABLE devices ADD COLUMN area text;

CREATE TABLE alerts (
    id              bigserial   PRIMARY KEY,
    rule            text        NOT NULL,
    rule_source     text        NOT NULL,  -- profile:<id> | kpi | system
    source          text        NOT NULL,  -- group/node/device, sorter:<site>/<sorter> or area:<area>
    area            text        NOT NULL,
    severity        text        NOT NULL,  -- red | yellow
    message         text        NOT NULL,
    latch           boolean     NOT NULL,
    state           text        NOT NULL,  -- active | acknowledged | cleared | closed
    active          boolean     NOT NULL,
    acknowledged    boolean     NOT NULL DEFAULT false,
    condition_since timestamptz NOT NULL,  -- the first reading that met the condition
    raised_at       timestamptz NOT NULL,
    value           text,
    acked_at        timestamptz,
    acked_by        text,
    cleared_at      timestamptz,
    closed_at       timestamptz,
    closed_by       text,
    shelved_until   timestamptz,
    shelved_by      text,
    shelve_reason   text,
    suppressed_by   text,
    escalated_at    timestamptz,
    chattering      boolean     NOT NULL DEFAULT false,
    occurrences     integer     NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX alerts_one_open_per_fault ON alerts (rule, source) WHERE state <> 'closed';
CREATE INDEX alerts_by_time ON alerts (raised_at DESC);

-- The audit trail and the feed: every change of every alert, who made it and why. The id orders the feed
-- (server-sent events resume after it); writers take an advisory lock first, so ids commit in order.
CREATE TABLE alert_events (
    id        bigserial   PRIMARY KEY,
    alert_id  bigint      NOT NULL REFERENCES alerts (id),
    at        timestamptz NOT NULL,
    action    text        NOT NULL,
    actor     text        NOT NULL,
    comment   text,
    alert     jsonb       NOT NULL   -- the alert as it was after this event
);
CREATE INDEX alert_events_by_alert ON alert_events (alert_id, id);

-- Devices under maintenance: their conditions raise no alerts until they are back in service.
CREATE TABLE out_of_service (
    source    text        PRIMARY KEY,
    since     timestamptz NOT NULL,
    by_user   text        NOT NULL,
    reason    text        NOT NULL
);

-- Webhooks: each endpoint's position in the feed, and every delivery attempt.
CREATE TABLE webhook_cursors (
    endpoint      text   PRIMARY KEY,
    last_event_id bigint NOT NULL
);
CREATE TABLE webhook_deliveries (
    id          bigserial   PRIMARY KEY,
    endpoint    text        NOT NULL,
    event_id    bigint      NOT NULL,
    attempt     integer     NOT NULL,
    at          timestamptz NOT NULL,
    outcome     text        NOT NULL,  -- delivered | failed | abandoned
    http_status integer,
    error       text,
    millis      integer     NOT NULL
);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint, id DESC);
