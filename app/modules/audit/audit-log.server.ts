// Reading the audit log: filtered, newest first, a page at a time (keyset on id), and as CSV.
import { isUuid } from "~/lib/uuid";
import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "#db/client.server";
import { accountRoles, accounts, auditLog, tickets } from "#db/schema";
import { AUDIT_ACTION_LABELS, csvCell, type AuditFilters } from "./audit-filters";

export interface AuditRow {
  id: number;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  actionLabel: string;
  targetType: string;
  targetId: string | null;
  accountId: string | null;
  accountName: string | null;
  ticketId: string | null;
  ticketReference: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export const AUDIT_PAGE_SIZE = 50;
const CSV_MAX_ROWS = 50_000;

const actor = alias(accounts, "actor");
const subject = alias(accounts, "subject");

function conditions(filters: AuditFilters): SQL[] {
  const where: SQL[] = [];
  if (filters.agent) where.push(eq(auditLog.actorId, filters.agent));
  if (filters.account) {
    where.push(
      isUuid(filters.account)
        ? eq(auditLog.accountId, filters.account)
        : sql`${auditLog.accountId} in (select account_id from account_emails where lower(email) = lower(${filters.account}))`,
    );
  }
  if (filters.ticket) {
    const byId = isUuid(filters.ticket);
    where.push(
      byId
        ? eq(auditLog.ticketId, filters.ticket)
        : sql`${auditLog.ticketId} in (select id from tickets where upper(reference) = upper(${filters.ticket}))`,
    );
  }
  if (filters.action) where.push(eq(auditLog.action, filters.action));
  if (filters.from) where.push(gte(auditLog.at, new Date(`${filters.from}T00:00:00Z`)));
  if (filters.to) where.push(lt(auditLog.at, new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000)));
  return where;
}

async function selectRows(filters: AuditFilters, limit: number): Promise<AuditRow[]> {
  const where = conditions(filters);
  if (filters.before) where.push(lt(auditLog.id, filters.before));
  const found = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorId: auditLog.actorId,
      actorName: actor.name,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      accountId: auditLog.accountId,
      accountName: subject.name,
      ticketId: auditLog.ticketId,
      ticketReference: tickets.reference,
      before: auditLog.before,
      after: auditLog.after,
      reason: auditLog.reason,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorId))
    .leftJoin(subject, eq(subject.id, auditLog.accountId))
    .leftJoin(tickets, eq(tickets.id, auditLog.ticketId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return found.map((r) => ({ ...r, actionLabel: AUDIT_ACTION_LABELS[r.action] ?? r.action }));
}

/** One page, newest first; `nextBefore` continues it. */
export async function listAuditEntries(filters: AuditFilters): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  const found = await selectRows(filters, AUDIT_PAGE_SIZE + 1);
  const rows = found.slice(0, AUDIT_PAGE_SIZE);
  return { rows, nextBefore: found.length > AUDIT_PAGE_SIZE ? rows[rows.length - 1].id : null };
}

/** The filtered log as CSV (newest first, at most 50,000 rows). */
export async function auditLogCsv(filters: AuditFilters): Promise<string> {
  const found = await selectRows({ ...filters, before: undefined }, CSV_MAX_ROWS);
  const header = ["id", "at", "agent", "agent_id", "action", "target_type", "target_id", "account", "account_id", "ticket", "ticket_id", "reason", "before", "after"];
  const lines = found.map((r) =>
    [r.id, r.at, r.actorName, r.actorId, r.action, r.targetType, r.targetId, r.accountName, r.accountId, r.ticketReference, r.ticketId, r.reason, r.before, r.after].map(csvCell).join(","),
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}

/** People who can appear as the agent of an entry: current agents and admins. */
export async function listAuditAgents(): Promise<{ id: string; name: string }[]> {
  return db
    .selectDistinct({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .innerJoin(accountRoles, eq(accountRoles.accountId, accounts.id))
    .where(or(eq(accountRoles.role, "agent"), eq(accountRoles.role, "admin")))
    .orderBy(accounts.name, accounts.id);
}
