// Rate limits of the tickets context, kept in the database (the rate_limits table) so they hold
// across instances. The two limits on ticket creation count per hour (fixed window) and can be
// changed without a deploy:
//   TICKET_LIMIT_PER_ADDRESS  tickets per requester address per hour (default 10)
//   TICKET_LIMIT_PER_CLIENT   tickets per client (IP address) per hour (default 30; a school
//                             behind one NAT files a few, a script files hundreds)
// The benchmark raises TICKET_LIMIT_PER_CLIENT because all its traffic comes from loopback.
import { sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import type { RateLimitResult, RateLimitRule } from "./rate-limit.server";

const HOUR = 60 * 60;

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return value;
}

export function ticketsPerAddress(email: string): RateLimitRule {
  return { key: `ticket:email:${email.trim().toLowerCase()}`, limit: positiveInteger("TICKET_LIMIT_PER_ADDRESS", 10), windowSeconds: HOUR };
}

export function ticketsPerClient(clientKey: string): RateLimitRule {
  return { key: `ticket:client:${clientKey}`, limit: positiveInteger("TICKET_LIMIT_PER_CLIENT", 30), windowSeconds: HOUR };
}

// Asking for one's private links again sends email to an address: kept low.
export function guestLinkRequestsPerAddress(email: string): RateLimitRule {
  return { key: `ticket-links:email:${email.trim().toLowerCase()}`, limit: 3, windowSeconds: HOUR };
}

export function guestLinkRequestsPerClient(clientKey: string): RateLimitRule {
  return { key: `ticket-links:client:${clientKey}`, limit: 10, windowSeconds: HOUR };
}

// Suggestion views and clicks are anonymous writes: bounded so nobody can flood the report.
export function suggestionEventsPerClient(clientKey: string): RateLimitRule {
  return { key: `ticket-suggestions:client:${clientKey}`, limit: 600, windowSeconds: HOUR };
}

/**
 * Counts one submission against the per-address and per-client limits in a single statement,
 * with the same fixed-window rule as hitRateLimit. Its commit doesn't wait
 * for the disk (a counter lost in a crash is harmless): flushes and round trips are what a
 * submission costs, and the ticket's own commit still waits, so an acknowledged ticket is durable.
 */
export async function countTicketSubmission({ email, clientKey }: { email: string; clientKey: string | null }) {
  const address = ticketsPerAddress(email);
  const client = clientKey ? ticketsPerClient(clientKey) : null;
  const keys = client ? [address.key, client.key] : [address.key];
  const result = await db.execute(sql`
    with no_flush_wait as (select set_config('synchronous_commit', 'off', true))
    insert into rate_limits as r (key, window_started_at, count)
    select key, now(), 1 from no_flush_wait, unnest(array[${sql.join(keys.map((key) => sql`${key}`), sql`, `)}]::text[]) as key
    on conflict (key) do update set
      count = case when r.window_started_at < now() - make_interval(secs => ${HOUR}) then 1 else r.count + 1 end,
      window_started_at = case when r.window_started_at < now() - make_interval(secs => ${HOUR}) then now() else r.window_started_at end
    returning key, count, extract(epoch from (window_started_at + make_interval(secs => ${HOUR}) - now()))::float as remaining`);
  const counted = new Map(rows<{ key: string; count: number; remaining: number }>(result).map((r) => [r.key, r]));
  const verdict = (rule: RateLimitRule | null): RateLimitResult => {
    const row = rule && counted.get(rule.key);
    if (!rule || !row || Number(row.count) <= rule.limit) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(row.remaining))) };
  };
  return { byAddress: verdict(address), byClient: verdict(client) };
}

/** At most 10 automatic answers (our confirmations) to one sender in 3 hours: a loop with another robot stops there. */
export function automaticAnswersPerSender(email: string): RateLimitRule {
  return { key: `email:auto-answer:${email.toLowerCase()}`, limit: 10, windowSeconds: 3 * HOUR };
}
