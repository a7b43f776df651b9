-- Every time a device came online (birth) or went offline (death), for availability over time: the devices table
-- holds only the latest state.
CREATE TABLE device_state_changes (
    device_id bigint      NOT NULL,
    at        timestamptz NOT NULL,
    online    boolean     NOT NULL
);
-- A redelivered birth or death is stored once.
CREATE UNIQUE INDEX device_state_changes_unique ON device_state_changes (device_id, at, online);
