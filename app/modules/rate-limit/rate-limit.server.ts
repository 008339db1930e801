import { eq, sql } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";
import { rateLimits } from "#db/schema";

export interface RateLimitRule {
  /** What is counted, e.g. `login:email:ana@example.org`. */
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Counts one event against a fixed window kept in the database, so the limit holds across app
 * instances. The upsert is a single statement: concurrent hits never lose a count.
 */
export async function hitRateLimit(rule: RateLimitRule, executor: Executor = db): Promise<RateLimitResult> {
  const result = await executor.execute(sql`
    insert into rate_limits (key, window_started_at, count) values (${rule.key}, now(), 1)
    on conflict (key) do update set
      count = case when rate_limits.window_started_at < now() - make_interval(secs => ${rule.windowSeconds})
                   then 1 else rate_limits.count + 1 end,
      window_started_at = case when rate_limits.window_started_at < now() - make_interval(secs => ${rule.windowSeconds})
                   then now() else rate_limits.window_started_at end
    returning count, extract(epoch from (window_started_at + make_interval(secs => ${rule.windowSeconds}) - now()))::float as remaining`);
  const [row] = rows<{ count: number; remaining: number }>(result);
  return verdict(rule, Number(row.count), Number(row.remaining));
}

/** Whether the next event would be refused, without counting one. */
export async function checkRateLimit(rule: RateLimitRule): Promise<RateLimitResult> {
  const result = await db.execute(sql`
    select count, extract(epoch from (window_started_at + make_interval(secs => ${rule.windowSeconds}) - now()))::float as remaining
    from rate_limits where key = ${rule.key}`);
  const [row] = rows<{ count: number; remaining: number }>(result);
  if (!row || Number(row.remaining) <= 0) return { allowed: true, retryAfterSeconds: 0 };
  return Number(row.count) >= rule.limit
    ? { allowed: false, retryAfterSeconds: Math.ceil(Number(row.remaining)) }
    : { allowed: true, retryAfterSeconds: 0 };
}

/** How many events the key counted in its current window (0 once the window is over). */
export async function countRateLimit({ key, windowSeconds }: { key: string; windowSeconds: number }): Promise<number> {
  const result = await db.execute(sql`
    select count from rate_limits
    where key = ${key} and window_started_at > now() - make_interval(secs => ${windowSeconds})`);
  const [row] = rows<{ count: number }>(result);
  return row ? Number(row.count) : 0;
}

export async function clearRateLimit(key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

function verdict(rule: RateLimitRule, count: number, remaining: number): RateLimitResult {
  return count > rule.limit
    ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(remaining)) }
    : { allowed: true, retryAfterSeconds: 0 };
}
