import { sql, type SQL } from "drizzle-orm";
import { auditLog } from "#db/schema";
import type { Executor } from "#db/client.server";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** Whose account the change or lookup concerns (the audit log page filters on it). */
  accountId?: string | null;
  /** The ticket it served, when there was one. */
  ticketId?: string | null;
  /** The submitting form's one-time key (see the agent actions). */
  actionKey?: string | null;
}

/** Appends one row to the audit log; call it inside the transaction of the change it records. */
export async function audit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
    accountId: entry.accountId ?? null,
    ticketId: entry.ticketId ?? null,
    actionKey: entry.actionKey ?? null,
  });
}

/**
 * The audit row as one part of a bigger statement (a chain of `with` inserts): one row per row of
 * `source` (the name of an earlier part), with `targetId` an expression over that part's columns.
 * It writes what audit() would write.
 */
export function auditRowFrom(source: string, entry: Omit<AuditEntry, "targetId" | "reason"> & { targetId: SQL }): SQL {
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  return sql`insert into ${auditLog} (actor_id, action, target_type, target_id, before, after, account_id, ticket_id, action_key)
      select ${entry.actorId}::uuid, ${entry.action}::text, ${entry.targetType}::text, ${entry.targetId}, ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb,
             ${entry.accountId ?? null}::uuid, ${entry.ticketId ?? null}::uuid, ${entry.actionKey ?? null}::text
      from ${sql.identifier(source)}`;
}
