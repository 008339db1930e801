// Data retention: what has served its purpose is deleted on a schedule. Every instance runs the
// schedule; a transaction-scoped advisory lock lets one run at a time, the others skip that turn.
// Tickets, their messages, audit rows and article revisions are never touched here.
import { sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { describeErrorForLog } from "~/lib/log-redaction";

/** pg_try_advisory_xact_lock key of the retention run (any constant no other lock uses). */
export const RETENTION_LOCK = 7_351_203;

export interface RetentionSettings {
  /** Search-log and suggestion events older than this go (RETENTION_EVENTS_DAYS, default 180). */
  eventsDays: number;
  /** Delivered mail older than this goes (RETENTION_DELIVERED_MAIL_DAYS, default 30). */
  deliveredMailDays: number;
}

export function retentionSettings(env: Record<string, string | undefined> = process.env): RetentionSettings {
  const days = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
  };
  return { eventsDays: days(env.RETENTION_EVENTS_DAYS, 180), deliveredMailDays: days(env.RETENTION_DELIVERED_MAIL_DAYS, 30) };
}

export interface RetentionReport {
  sessions: number;
  rateLimits: number;
  tokens: number;
  searchLog: number;
  suggestionEvents: number;
  deliveredMail: number;
  ticketViewers: number;
}

const count = (result: unknown) => rows<{ n: number | string }>(result).map((r) => Number(r.n))[0] ?? 0;

/**
 * One retention pass; null when another instance holds the lock (it is doing this very work).
 * - sessions past their expiry;
 * - rate-limit counters whose window ended over a day ago (no limit counts over more than a day);
 * - verification and reset links used or expired over a day ago (kept a day: "link sent at …"
 *   and the one-per-5-minutes resend rule read them);
 * - search-log and ticket-suggestion events older than `eventsDays`;
 * - mail delivered more than `deliveredMailDays` ago (pending and failed mail stays);
 * - "who has this ticket open" marks over a day old (after a minute they mean nothing).
 */
export async function runRetention({ now = new Date(), settings = retentionSettings() }: { now?: Date; settings?: RetentionSettings } = {}): Promise<RetentionReport | null> {
  return db.transaction(async (tx) => {
    const [lock] = rows<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${RETENTION_LOCK}) as locked`));
    if (!lock?.locked) return null;
    const at = now.toISOString();
    const deleted = (statement: ReturnType<typeof sql>) => tx.execute(sql`with gone as (${statement} returning 1) select count(*) as n from gone`).then(count);
    return {
      sessions: await deleted(sql`delete from sessions where expires_at < ${at}::timestamptz`),
      rateLimits: await deleted(sql`delete from rate_limits where window_started_at < ${at}::timestamptz - interval '1 day'`),
      tokens: await deleted(
        sql`delete from email_tokens where (used_at < ${at}::timestamptz - interval '1 day') or (used_at is null and expires_at < ${at}::timestamptz - interval '1 day')`,
      ),
      searchLog: await deleted(sql`delete from kb_search_log where searched_at < ${at}::timestamptz - make_interval(days => ${settings.eventsDays})`),
      suggestionEvents: await deleted(sql`delete from ticket_suggestion_events where at < ${at}::timestamptz - make_interval(days => ${settings.eventsDays})`),
      deliveredMail: await deleted(
        sql`delete from mail_outbox where status = 'sent' and coalesce(sent_at, created_at) < ${at}::timestamptz - make_interval(days => ${settings.deliveredMailDays})`,
      ),
      ticketViewers: await deleted(sql`delete from ticket_viewers where seen_at < ${at}::timestamptz - interval '1 day'`),
    };
  });
}

export interface MaintenanceSchedule {
  /** Delay before the first run (MAINTENANCE_FIRST_RUN_SECONDS, default 60). */
  firstRunMs: number;
  /** Time between runs (MAINTENANCE_INTERVAL_SECONDS, else MAINTENANCE_INTERVAL_MINUTES, default 60 minutes). */
  intervalMs: number;
}

/** The schedule from the environment; seconds exist so tests can run the job every second. */
export function maintenanceSchedule(env: Record<string, string | undefined> = process.env): MaintenanceSchedule {
  const positive = (value: string | undefined) => {
    const n = Number(value);
    return value !== undefined && value.trim() !== "" && Number.isFinite(n) && n > 0 ? n : null;
  };
  const intervalSeconds = positive(env.MAINTENANCE_INTERVAL_SECONDS) ?? (positive(env.MAINTENANCE_INTERVAL_MINUTES) ?? 60) * 60;
  return { firstRunMs: (positive(env.MAINTENANCE_FIRST_RUN_SECONDS) ?? 60) * 1000, intervalMs: intervalSeconds * 1000 };
}

/**
 * Runs retention on `schedule` (by default a minute after start, then hourly) and logs one line
 * per run: what it removed, that there was nothing to remove, or that it skipped because another
 * instance holds the lock. A turn that comes while this instance's previous run is still going is
 * left out. Returns the function that stops it (it waits for a run in progress).
 */
export function startMaintenance(schedule: MaintenanceSchedule = maintenanceSchedule()): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    running = runRetention()
      .then((report) => {
        if (!report) console.log("maintenance: skipped, another instance holds the lock");
        else if (Object.values(report).some((n) => n > 0)) console.log("maintenance: removed %j", report);
        else console.log("maintenance: nothing to remove");
      })
      .catch((error) => console.error("maintenance failed: %s", describeErrorForLog(error)))
      .finally(() => (running = null));
  };
  const first = setTimeout(run, schedule.firstRunMs);
  const every = setInterval(run, schedule.intervalMs);
  first.unref();
  every.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(every);
    await running;
  };
}
