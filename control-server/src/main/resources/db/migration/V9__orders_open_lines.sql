-- How many of an order's lines are neither fully picked nor shorted. The pick that completes a line decrements it
-- in the statement that records the pick, under the order row's lock, and marks the order picked when it reaches
-- 0: of two pickers completing an order's last two lines at once, the second waits for the first and sees 1, on
-- any server. (Before, a statement after the pick's commit looked for open lines, one more round trip per pick,
-- and a server stopping between the two left an order picked but not marked.)
ALTER TABLE orders ADD COLUMN open_lines int NOT NULL DEFAULT 0 CHECK (open_lines >= 0);
UPDATE orders o SET open_lines = (SELECT count(*) FROM order_lines l
                                  WHERE l.order_id = o.id AND l.picked + l.shorted < l.quantity);
-- orders such a stop left behind: picked when their last task was done
UPDATE orders o SET picked_at = coalesce((SELECT max(t.done_at) FROM pick_tasks t WHERE t.order_id = o.id), now())
WHERE o.picked_at IS NULL AND o.open_lines = 0 AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id);

-- Who holds tasks in a zone is counted at most once a second per site (workload balance), and the partial index on
-- held tasks by picker serves that as well. With the picker as its last column, this one made every lookup of a
-- picker's tasks that the planner gave it a scan of all held tasks: the planner sizes partial indexes from the last
-- vacuum, often taken when no task was held, and saw no difference.
DROP INDEX pick_tasks_holders;
