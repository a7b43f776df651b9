-- Picking: the catalogue (zones, SKUs and their codes, storage locations, pickers), orders' lines and the pick
-- tasks made from them, handheld sessions and the actions pickers took. A task is held by at most one picker
-- because holding is a column of the task row, changed only under a row lock (SELECT ... FOR UPDATE SKIP LOCKED)
-- with the expected state re-checked in the UPDATE: two servers on this database cannot both take it.

-- Orders picked need not be sorted: a destination is only needed for sortation.
ALTER TABLE orders ALTER COLUMN destination DROP NOT NULL;
ALTER TABLE orders
    ADD COLUMN priority   int         NOT NULL DEFAULT 0,
    ADD COLUMN due_at     timestamptz,
    ADD COLUMN picked_at  timestamptz,
    ADD COLUMN shipped_at timestamptz;

CREATE TABLE zones (
    site          text    NOT NULL,
    zone          text    NOT NULL,
    -- 'group/node/device' of the conveyor that takes this zone's totes away; null when the zone needs none.
    conveyor      text,
    -- metrics of that conveyor that mean "faulted" when true or non-zero (for example jam, estop)
    fault_metrics text[]  NOT NULL DEFAULT '{}',
    faulted       boolean NOT NULL DEFAULT false,
    fault_reason  text,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, zone)
);

CREATE TABLE skus (
    site        text NOT NULL,
    sku         text NOT NULL,
    description text NOT NULL,
    PRIMARY KEY (site, sku)
);

-- What a handheld may read for a SKU: barcodes (EAN/UPC/GS1-128 ...) and RFID EPCs (hex).
CREATE TABLE sku_codes (
    site text NOT NULL,
    code text NOT NULL,
    sku  text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('barcode', 'epc')),
    PRIMARY KEY (site, code),
    FOREIGN KEY (site, sku) REFERENCES skus (site, sku) ON DELETE CASCADE
);
CREATE INDEX sku_codes_sku ON sku_codes (site, sku);

-- A pick face: the location label's barcode is the location id; pick_seq orders locations along the pick path.
CREATE TABLE locations (
    site     text NOT NULL,
    location text NOT NULL,
    zone     text NOT NULL,
    aisle    text NOT NULL,
    bay      text NOT NULL,
    level    text NOT NULL,
    pick_seq int  NOT NULL,
    sku      text,
    PRIMARY KEY (site, location),
    FOREIGN KEY (site, zone) REFERENCES zones (site, zone)
);
CREATE INDEX locations_sku ON locations (site, sku, pick_seq);

CREATE TABLE pickers (
    badge          text PRIMARY KEY,
    site           text        NOT NULL,
    name           text        NOT NULL,
    pin_hash       text        NOT NULL,
    roles          text[]      NOT NULL,
    zones          text[]      NOT NULL,
    failed_pins    int         NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    -- where the picker last scanned a location: the start of the next walk
    last_zone      text,
    last_seq       int
);

CREATE TABLE picker_sessions (
    token_hash     text PRIMARY KEY,
    badge          text        NOT NULL REFERENCES pickers (badge),
    started_at     timestamptz NOT NULL DEFAULT now(),
    last_active_at timestamptz NOT NULL DEFAULT now(),
    ended_at       timestamptz,
    end_reason     text
);
CREATE INDEX picker_sessions_open ON picker_sessions (badge) WHERE ended_at IS NULL;
CREATE INDEX picker_sessions_idle ON picker_sessions (last_active_at) WHERE ended_at IS NULL;

CREATE TABLE order_lines (
    order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no  int  NOT NULL,
    sku      text NOT NULL,
    quantity int  NOT NULL CHECK (quantity > 0),
    picked   int  NOT NULL DEFAULT 0,
    shorted  int  NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, line_no)
);

-- state: open (in the pool), held (in a picker's batch), blocked (its zone is faulted and no other location
-- has the SKU), done, short. due_slot buckets due times so zone, walk and balance can decide among tasks
-- that are equally urgent.
CREATE TABLE pick_tasks (
    id          bigserial PRIMARY KEY,
    site        text        NOT NULL,
    order_id    text        NOT NULL,
    line_no     int         NOT NULL,
    sku         text        NOT NULL,
    quantity    int         NOT NULL,
    picked      int         NOT NULL DEFAULT 0,
    location    text        NOT NULL,
    zone        text        NOT NULL,
    pick_seq    int         NOT NULL,
    priority    int         NOT NULL,
    due_at      timestamptz NOT NULL,
    due_slot    timestamptz NOT NULL,
    state       text        NOT NULL CHECK (state IN ('open', 'held', 'blocked', 'done', 'short')),
    picker      text,
    batch       bigint,
    tote        text,
    position    int,
    held_at     timestamptz,
    -- the deadline of the picker's current task: set when it is first shown, cleared when it leaves the picker
    expires_at  timestamptz,
    short_reason text,
    done_at     timestamptz,
    done_by     text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no) ON DELETE CASCADE
);
-- The pool in claiming order: the most urgent slot of a zone, and in it the walk along the pick path, are index
-- range scans, whatever the pool's size.
CREATE INDEX pick_tasks_pool ON pick_tasks (site, zone, priority DESC, due_slot, pick_seq, id) WHERE state = 'open';
CREATE INDEX pick_tasks_held ON pick_tasks (picker, position) WHERE state = 'held';
-- who is picking in a zone (workload balance when choosing between equally urgent zones)
CREATE INDEX pick_tasks_holders ON pick_tasks (site, zone, picker) WHERE state = 'held';
CREATE INDEX pick_tasks_expiry ON pick_tasks (expires_at) WHERE state = 'held';
CREATE INDEX pick_tasks_zone_state ON pick_tasks (site, zone, state);
CREATE INDEX pick_tasks_order ON pick_tasks (order_id);
CREATE INDEX pick_tasks_done ON pick_tasks (site, done_at) WHERE done_at IS NOT NULL;
CREATE SEQUENCE pick_batches;

-- Every accepted handheld action under the id the handheld gave it: a resent action (after a Wi-Fi drop)
-- finds its row and gets the same answer instead of being recorded twice.
CREATE TABLE pick_actions (
    id       text PRIMARY KEY,
    badge    text        NOT NULL,
    task_id  bigint      NOT NULL,
    kind     text        NOT NULL,
    quantity int,
    reason   text,
    result   text        NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pick_actions_time ON pick_actions (at);

-- Damage a picker reported at a location (inventory follows it up); the pick itself goes on.
CREATE TABLE damage_reports (
    id       bigserial PRIMARY KEY,
    site     text        NOT NULL,
    location text        NOT NULL,
    sku      text        NOT NULL,
    badge    text        NOT NULL,
    task_id  bigint,
    note     text,
    at       timestamptz NOT NULL DEFAULT now()
);
