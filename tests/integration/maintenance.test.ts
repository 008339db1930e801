// Data retention: old rows past their time go, recent ones and the permanent record stay; two
// instances never run it at once.
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, test } from "vitest";
import { db, rows } from "#db/client.server";
import { maintenanceSchedule, RETENTION_LOCK, runRetention } from "~/modules/maintenance";
import { createLearner } from "../support/factories";

const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const countOf = async (table: string) => Number(rows<{ n: string }>(await db.execute(sql.raw(`select count(*) as n from ${table}`)))[0].n);

async function seedOldAndNew(accountId: string) {
  await db.execute(sql`insert into sessions (id, account_id, data, expires_at) values ('expired', ${accountId}, '{}', ${ago(1)}), ('live', ${accountId}, '{}', ${ago(-10)})`);
  await db.execute(sql`insert into rate_limits (key, window_started_at, count) values ('old', ${ago(2)}, 3), ('current', now(), 1)`);
  await db.execute(sql`insert into email_tokens (purpose, token_hash, account_id, expires_at, used_at, created_at) values
    ('verify_email', 'used-long-ago', ${accountId}, ${ago(1)}, ${ago(3)}, ${ago(3)}),
    ('verify_email', 'expired-long-ago', ${accountId}, ${ago(2)}, null, ${ago(3)}),
    ('verify_email', 'used-just-now', ${accountId}, ${ago(-1)}, now(), now()),
    ('reset_password', 'unused-live', ${accountId}, ${ago(-1)}, null, now())`);
  await db.execute(sql`insert into kb_search_log (query, result_count, duration_ms, surface, searched_at) values ('old', 0, 1, 'page', ${ago(181)}), ('new', 0, 1, 'page', ${ago(179)})`);
  await db.execute(sql`insert into ticket_suggestion_events (draft_id, article_slug, kind, at) values ('d1', 'a', 'shown', ${ago(200)}), ('d2', 'a', 'shown', ${ago(10)})`);
  await db.execute(sql`insert into mail_outbox (to_address, subject, text_body, status, sent_at, created_at) values
    ('a@example.test', 'old sent', 'x', 'sent', ${ago(31)}, ${ago(31)}),
    ('a@example.test', 'recent sent', 'x', 'sent', ${ago(29)}, ${ago(29)}),
    ('a@example.test', 'old failed', 'x', 'failed', null, ${ago(90)}),
    ('a@example.test', 'old pending', 'x', 'pending', null, ${ago(90)})`);
}

/** Two "has this ticket open" marks of an agent: one from two days ago, one from now. */
async function seedTicketViewers(agentId: string) {
  const [ticket] = rows<{ id: string }>(
    await db.execute(sql`insert into tickets (reference, requester_name, requester_email, category, subject, source, fingerprint)
      values ('BD-RETN-TN01', 'Noor', 'noor@example.test', 'other', 'Old', 'web', 'retention-test') returning id`),
  );
  const [other] = rows<{ id: string }>(
    await db.execute(sql`insert into tickets (reference, requester_name, requester_email, category, subject, source, fingerprint)
      values ('BD-RETN-TN02', 'Noor', 'noor@example.test', 'other', 'New', 'web', 'retention-test-2') returning id`),
  );
  await db.execute(sql`insert into ticket_viewers (ticket_id, agent_id, seen_at) values (${ticket.id}, ${agentId}, ${ago(2)}), (${other.id}, ${agentId}, now())`);
}

describe("data retention", () => {
  test("removes what is past its time and nothing else; tickets and the audit log are kept", async () => {
    const learner = await createLearner();
    await seedOldAndNew(learner.id);
    await seedTicketViewers(learner.id);
    await db.execute(sql`insert into audit_log (actor_id, action, target_type, target_id, at) values (null, 'old.thing', 'account', ${learner.id}, ${ago(4000)})`);
    const [tickets, audits] = [await countOf("tickets"), await countOf("audit_log")];

    expect(await runRetention()).toEqual({ sessions: 1, rateLimits: 1, tokens: 2, searchLog: 1, suggestionEvents: 1, deliveredMail: 1, ticketViewers: 1 });
    expect(await countOf("ticket_viewers")).toBe(1);
    expect(rows<{ id: string }>(await db.execute(sql`select id from sessions`)).map((r) => r.id)).toEqual(["live"]);
    expect(rows<{ token_hash: string }>(await db.execute(sql`select token_hash from email_tokens order by token_hash`)).map((r) => r.token_hash)).toEqual(["unused-live", "used-just-now"]);
    expect(rows<{ subject: string }>(await db.execute(sql`select subject from mail_outbox order by subject`)).map((r) => r.subject)).toEqual(["old failed", "old pending", "recent sent"]);
    expect([await countOf("tickets"), await countOf("audit_log")]).toEqual([tickets, audits]);

    // A second pass finds nothing more.
    expect(await runRetention()).toEqual({ sessions: 0, rateLimits: 0, tokens: 0, searchLog: 0, suggestionEvents: 0, deliveredMail: 0, ticketViewers: 0 });
  });

  test("the event age is a setting", async () => {
    await db.execute(sql`insert into kb_search_log (query, result_count, duration_ms, surface, searched_at) values ('ten days', 0, 1, 'page', ${ago(10)})`);
    expect((await runRetention({ settings: { eventsDays: 7, deliveredMailDays: 30 } }))?.searchLog).toBe(1);
  });

  test.runIf(process.env.DATABASE_URL)("while another instance holds the lock, a run skips its turn", async () => {
    const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await other`select pg_advisory_lock(${RETENTION_LOCK})`;
      expect(await runRetention()).toBeNull();
      await other`select pg_advisory_unlock(${RETENTION_LOCK})`;
      expect(await runRetention()).not.toBeNull();
    } finally {
      await other.end({ timeout: 5 });
    }
  });

  test("the schedule: a minute, then hourly, unless set in minutes or seconds; nonsense keeps the default", () => {
    expect(maintenanceSchedule({})).toEqual({ firstRunMs: 60_000, intervalMs: 3_600_000 });
    expect(maintenanceSchedule({ MAINTENANCE_INTERVAL_MINUTES: "15" })).toEqual({ firstRunMs: 60_000, intervalMs: 900_000 });
    expect(maintenanceSchedule({ MAINTENANCE_INTERVAL_MINUTES: "15", MAINTENANCE_INTERVAL_SECONDS: "1", MAINTENANCE_FIRST_RUN_SECONDS: "2" })).toEqual({ firstRunMs: 2_000, intervalMs: 1_000 });
    expect(maintenanceSchedule({ MAINTENANCE_INTERVAL_SECONDS: "0", MAINTENANCE_FIRST_RUN_SECONDS: "soon", MAINTENANCE_INTERVAL_MINUTES: "" })).toEqual({ firstRunMs: 60_000, intervalMs: 3_600_000 });
  });
});
