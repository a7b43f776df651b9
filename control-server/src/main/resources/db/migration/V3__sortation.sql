-- Sortation: the plans the control server owns (layout + code assignments + orders' units) and the decisions and
-- divert results edge agents report. Decisions and results are keyed by their natural key so a replayed event
-- changes nothing.

CREATE TABLE sorters (
    site          text        NOT NULL,
    sorter        text        NOT NULL,
    layout        jsonb       NOT NULL,
    reject_chute  int         NOT NULL,
    plan_version  bigint      NOT NULL DEFAULT 1,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, sorter)
);

-- Codes uploaded for one sorter (a sort plan file, a shipping-route table): they win over orders' codes.
CREATE TABLE sort_assignments (
    site        text NOT NULL,
    sorter      text NOT NULL,
    code        text NOT NULL,
    destination text NOT NULL,
    PRIMARY KEY (site, sorter, code),
    FOREIGN KEY (site, sorter) REFERENCES sorters (site, sorter) ON DELETE CASCADE
);

-- Orders as sortation sees them: a shipping destination and the labelled units (parcels, totes, items) to sort.
CREATE TABLE orders (
    id          text        PRIMARY KEY,
    site        text        NOT NULL,
    destination text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_site ON orders (site, destination);

CREATE TABLE order_sort_units (
    order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    code     text NOT NULL,
    PRIMARY KEY (order_id, code)
);
CREATE INDEX order_sort_units_code ON order_sort_units (code);

CREATE TABLE sort_decisions (
    site         text        NOT NULL,
    sorter       text        NOT NULL,
    seq          bigint      NOT NULL,
    pass         int         NOT NULL,
    agent        text        NOT NULL,
    codes        text[]      NOT NULL,
    chute        int         NOT NULL,
    rejected     boolean     NOT NULL,
    reason       text        NOT NULL,
    code         text,
    destination  text,
    plan_version bigint      NOT NULL,
    inducted_at  timestamptz NOT NULL,
    decided_at   timestamptz NOT NULL,
    PRIMARY KEY (site, sorter, seq, pass)
);
CREATE INDEX sort_decisions_time ON sort_decisions (site, sorter, inducted_at);
CREATE INDEX sort_decisions_code ON sort_decisions (code);

CREATE TABLE sort_results (
    site        text        NOT NULL,
    sorter      text        NOT NULL,
    seq         bigint      NOT NULL,
    pass        int         NOT NULL,
    agent       text        NOT NULL,
    chute       int         NOT NULL,
    rejected    boolean     NOT NULL,
    outcome     text        NOT NULL,
    destination text,
    correct     boolean     NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (site, sorter, seq, pass)
);
CREATE INDEX sort_results_time ON sort_results (site, sorter, at);
