CREATE TABLE "staff_list_version" (
	"id" smallint PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_queue_counts" (
	"status" text NOT NULL,
	"assignee_id" uuid,
	"slot" smallint NOT NULL,
	"tickets" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ticket_queue_counts_key" UNIQUE NULLS NOT DISTINCT("status","assignee_id","slot")
);
--> statement-breakpoint
-- Written by hand (drizzle can't declare triggers). ticket_queue_counts follows tickets: a ticket
-- inserted, deleted, or moved to another status or assignee adds its -1/+1 to the rows of its
-- connection's slot. Row triggers with a WHEN condition: the condition is checked without calling
-- the function, so the many updates that move no ticket between counts (activity times,
-- awaiting_since) cost nothing here. The assignee is kept only for the statuses the per-agent
-- views show (new, open, pending).
CREATE OR REPLACE FUNCTION ticket_queue_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  slot_now smallint := pg_backend_pid() % 16;
BEGIN
  -- In key order (the old row's before the new one's when they differ), so that two transactions
  -- sharing a slot take their row locks in the same order.
  INSERT INTO ticket_queue_counts (status, assignee_id, slot, tickets)
    SELECT c.status, CASE WHEN c.status IN ('new', 'open', 'pending') THEN c.assignee_id END, slot_now, sum(c.change)
    FROM (SELECT OLD.status, OLD.assignee_id, -1 AS change WHERE TG_OP IN ('UPDATE', 'DELETE')
          UNION ALL
          SELECT NEW.status, NEW.assignee_id, 1 WHERE TG_OP IN ('INSERT', 'UPDATE')) c
    GROUP BY 1, 2 HAVING sum(c.change) <> 0 ORDER BY 1, 2
  ON CONFLICT (status, assignee_id, slot) DO UPDATE SET tickets = ticket_queue_counts.tickets + excluded.tickets;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_queue_counts_insert_delete AFTER INSERT OR DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION ticket_queue_counts_follow();
--> statement-breakpoint
CREATE TRIGGER tickets_queue_counts_update AFTER UPDATE OF status, assignee_id ON tickets
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
  EXECUTE FUNCTION ticket_queue_counts_follow();
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
--> statement-breakpoint
-- Written by hand: staff_list_version follows the list of agents. Any change to roles (a grant,
-- a removal, an account deleted with its roles, a TRUNCATE) or to the name of an agent or admin
-- sets it to the changing transaction's id, a value never used before, so a copy held by an app
-- instance under an older version is never taken for the current one.
CREATE OR REPLACE FUNCTION staff_list_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO staff_list_version (id, version) VALUES (1, pg_current_xact_id()::text::bigint)
  ON CONFLICT (id) DO UPDATE SET version = excluded.version;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION staff_name_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM account_roles r WHERE r.account_id = NEW.id AND r.role IN ('agent', 'admin')) THEN
    INSERT INTO staff_list_version (id, version) VALUES (1, pg_current_xact_id()::text::bigint)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER account_roles_staff_list AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON account_roles
  FOR EACH STATEMENT EXECUTE FUNCTION staff_list_changed();
--> statement-breakpoint
CREATE TRIGGER accounts_staff_list AFTER UPDATE OF name ON accounts
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION staff_name_changed();
--> statement-breakpoint
INSERT INTO staff_list_version (id, version) VALUES (1, pg_current_xact_id()::text::bigint);
