-- Events edge agents report that are not telemetry and not sortation: interlock firings (the rule, what triggered
-- it, each action's answer). Keyed by the agent's outbox sequence, so a replayed event is stored once.
CREATE TABLE edge_events (
    site        text        NOT NULL,
    agent       text        NOT NULL,
    kind        text        NOT NULL,
    id          bigint      NOT NULL,
    at          timestamptz NOT NULL,
    body        jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, agent, kind, id)
);
CREATE INDEX edge_events_time ON edge_events (site, kind, at DESC);
