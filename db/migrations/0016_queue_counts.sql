CREATE TABLE "ticket_queue_counts" (
	"status" text NOT NULL,
	"assignee_id" uuid,
	"slot" smallint NOT NULL,
	"tickets" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ticket_queue_counts_key" UNIQUE NULLS NOT DISTINCT("status","assignee_id","slot")
);
--> statement-breakpoint
-- Written by hand (drizzle can't declare triggers). ticket_queue_counts follows tickets: each
-- statement that inserts, updates or deletes tickets adds its net change per (status, assignee)
-- to the rows of its connection's slot. Statement-level with transition tables, so a bulk change
-- is one upsert, and an update that moves no ticket between statuses or assignees (most of them:
-- activity times, awaiting_since) writes nothing. The assignee is kept only for the statuses the
-- per-agent views show (new, open, pending). Rows are upserted in key order, so two transactions
-- that share a slot take their row locks in the same order.
CREATE OR REPLACE FUNCTION ticket_queue_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ticket_queue_counts (status, assignee_id, slot, tickets)
      SELECT status, assignee_key, pg_backend_pid() % 16, count(*)
      FROM (SELECT status, CASE WHEN status IN ('new', 'open', 'pending') THEN assignee_id END AS assignee_key FROM new_rows) n
      GROUP BY status, assignee_key ORDER BY status, assignee_key
    ON CONFLICT (status, assignee_id, slot) DO UPDATE SET tickets = ticket_queue_counts.tickets + excluded.tickets;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ticket_queue_counts (status, assignee_id, slot, tickets)
      SELECT status, assignee_key, pg_backend_pid() % 16, -count(*)
      FROM (SELECT status, CASE WHEN status IN ('new', 'open', 'pending') THEN assignee_id END AS assignee_key FROM old_rows) o
      GROUP BY status, assignee_key ORDER BY status, assignee_key
    ON CONFLICT (status, assignee_id, slot) DO UPDATE SET tickets = ticket_queue_counts.tickets + excluded.tickets;
  ELSE
    INSERT INTO ticket_queue_counts (status, assignee_id, slot, tickets)
      SELECT status, assignee_key, pg_backend_pid() % 16, sum(change)
      FROM (SELECT status, CASE WHEN status IN ('new', 'open', 'pending') THEN assignee_id END AS assignee_key, 1 AS change FROM new_rows
            UNION ALL
            SELECT status, CASE WHEN status IN ('new', 'open', 'pending') THEN assignee_id END, -1 FROM old_rows) c
      GROUP BY status, assignee_key HAVING sum(change) <> 0 ORDER BY status, assignee_key
    ON CONFLICT (status, assignee_id, slot) DO UPDATE SET tickets = ticket_queue_counts.tickets + excluded.tickets;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_queue_counts_insert AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_queue_counts_follow();
--> statement-breakpoint
CREATE TRIGGER tickets_queue_counts_update AFTER UPDATE ON tickets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_queue_counts_follow();
--> statement-breakpoint
CREATE TRIGGER tickets_queue_counts_delete AFTER DELETE ON tickets
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_queue_counts_follow();
--> statement-breakpoint
-- Counted afresh from tickets: for the tickets already there (below), after a TRUNCATE, and after
-- a bulk load with triggers off (scripts/generate-platform.ts).
CREATE OR REPLACE FUNCTION ticket_queue_counts_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM ticket_queue_counts;
  INSERT INTO ticket_queue_counts (status, assignee_id, slot, tickets)
    SELECT status, CASE WHEN status IN ('new', 'open', 'pending') THEN assignee_id END, 0, count(*)
    FROM tickets GROUP BY 1, 2;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ticket_queue_counts_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_queue_counts_rebuild();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_queue_counts_truncate AFTER TRUNCATE ON tickets
  FOR EACH STATEMENT EXECUTE FUNCTION ticket_queue_counts_after_truncate();
--> statement-breakpoint
-- The creating transaction holds tickets' trigger lock until it commits, so no change slips
-- between this count and the triggers.
SELECT ticket_queue_counts_rebuild();
