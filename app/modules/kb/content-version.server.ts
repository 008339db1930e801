// The content version: one number in the database, bumped in the transaction of every publish.
// Each app instance reads it at most once a second (CHECK_INTERVAL_MS) and keys its page cache,
// article catalog and search index by it, so a publish reaches every instance within a second.
import { sql } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";

const CHECK_INTERVAL_MS = 1_000;

const holder: { version: number; checkedAt: number; pending: Promise<number> | null } = { version: -1, checkedAt: 0, pending: null };

export async function readContentVersion(executor: Executor = db): Promise<number> {
  const [row] = rows<{ version: string | number }>(await executor.execute(sql`select version from kb_content_state where id = 1`));
  return row ? Number(row.version) : 0;
}

/** The current version, from memory when it was read less than a second ago. */
export async function currentContentVersion(): Promise<number> {
  if (Date.now() - holder.checkedAt < CHECK_INTERVAL_MS && holder.version >= 0) return holder.version;
  holder.pending ??= readContentVersion()
    .then((version) => {
      holder.version = version;
      holder.checkedAt = Date.now();
      return version;
    })
    .finally(() => {
      holder.pending = null;
    });
  return holder.pending;
}

/** The version when it was read less than a second ago, without waiting; null otherwise. */
export function freshContentVersion(): number | null {
  return holder.version >= 0 && Date.now() - holder.checkedAt < CHECK_INTERVAL_MS ? holder.version : null;
}

/** The version as last read, without waiting (-1 before the first read). */
export function knownContentVersion(): number {
  return holder.version;
}

/**
 * Moves the version on, inside the caller's transaction. The new number is also at least the
 * current time in milliseconds, so it never repeats even if the table is emptied (tests do).
 */
export async function bumpContentVersion(tx: Executor): Promise<number> {
  const [row] = rows<{ version: string | number }>(
    await tx.execute(sql`
      insert into kb_content_state (id, version, changed_at) values (1, (extract(epoch from clock_timestamp()) * 1000)::bigint, now())
      on conflict (id) do update set version = greatest(kb_content_state.version + 1, (extract(epoch from clock_timestamp()) * 1000)::bigint), changed_at = now()
      returning version`),
  );
  return Number(row.version);
}

/** After this process changed the version: use it at once instead of waiting for the next check. */
export function noteContentVersion(version: number): void {
  holder.version = version;
  holder.checkedAt = Date.now();
}

/** Tests empty the database between cases; this makes the next read go to the database. */
export function forgetContentVersion(): void {
  holder.version = -1;
  holder.checkedAt = 0;
}
