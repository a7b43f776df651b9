-- A current task's deadline is set when the picker first sees it. With expires_at in an index, that update could
-- not be a heap-only (HOT) update and wrote a new entry into every index of pick_tasks, once per task. The expiry
-- sweep runs once per housekeeping interval and finds the held rows through pick_tasks_held instead. Free space on
-- each page lets the deadline update stay on its page.
DROP INDEX pick_tasks_expiry;
ALTER TABLE pick_tasks SET (fillfactor = 85);
