import { and, asc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { accountEmails, accountRoles, accounts } from "#db/schema";
import { audit } from "~/modules/audit";
import type { Role } from "./roles";

/** Accounts for the roles page: everyone holding a role, or those matching a search. */
export async function listAccountsForRoles({ query }: { query: string }) {
  const q = query.trim();
  const withRole = db.select({ id: accountRoles.accountId }).from(accountRoles);
  const matching = db
    .select({ id: accountEmails.accountId })
    .from(accountEmails)
    .where(ilike(accountEmails.email, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  const found = await db
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(q ? or(inArray(accounts.id, matching), ilike(accounts.name, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)) : inArray(accounts.id, withRole))
    .orderBy(asc(accounts.name))
    .limit(50);
  if (found.length === 0) return [];
  const ids = found.map((a) => a.id);
  const [emails, roles] = await Promise.all([
    db.select({ accountId: accountEmails.accountId, email: accountEmails.email, isPrimary: accountEmails.isPrimary }).from(accountEmails).where(inArray(accountEmails.accountId, ids)),
    db.select({ accountId: accountRoles.accountId, role: accountRoles.role }).from(accountRoles).where(inArray(accountRoles.accountId, ids)),
  ]);
  return found.map((a) => ({
    ...a,
    emails: emails.filter((e) => e.accountId === a.id).sort((x, y) => Number(y.isPrimary) - Number(x.isPrimary)).map((e) => e.email),
    roles: roles.filter((r) => r.accountId === a.id).map((r) => r.role as Role),
  }));
}

/** Grants a role; null when there is no such account, else whether it was new. */
export async function grantRole({ actorId, accountId, role }: { actorId: string; accountId: string; role: Role }): Promise<boolean | null> {
  return db.transaction(async (tx) => {
    const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
    if (!account) return null;
    const inserted = await tx.insert(accountRoles).values({ accountId, role }).onConflictDoNothing().returning();
    if (inserted.length) await audit(tx, { actorId, action: "role.grant", targetType: "account", targetId: accountId, after: { role } });
    return inserted.length > 0;
  });
}

/** Revokes a role. The last admin can't be removed, so the site always has someone to grant roles. */
export async function revokeRole({ actorId, accountId, role }: { actorId: string; accountId: string; role: Role }): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction(async (tx) => {
    if (role === "admin") {
      // Lock the admin rows so two admins can't demote each other at the same moment.
      const admins = await tx.select({ accountId: accountRoles.accountId }).from(accountRoles).where(eq(accountRoles.role, "admin")).for("update");
      if (admins.length <= 1 && admins.some((a) => a.accountId === accountId)) {
        return { ok: false, message: "This is the only admin. Make someone else admin first." };
      }
    }
    const removed = await tx.delete(accountRoles).where(and(eq(accountRoles.accountId, accountId), eq(accountRoles.role, role))).returning();
    if (removed.length) await audit(tx, { actorId, action: "role.revoke", targetType: "account", targetId: accountId, before: { role } });
    return { ok: true };
  });
}

/** For scripts/make-admin: makes the account holding this address an admin. */
export async function makeAdminByEmail(email: string): Promise<{ ok: true; name: string } | { ok: false; message: string }> {
  const [row] = await db
    .select({ accountId: accountEmails.accountId, name: accounts.name })
    .from(accountEmails)
    .innerJoin(accounts, eq(accounts.id, accountEmails.accountId))
    .where(sql`lower(${accountEmails.email}) = lower(${email.trim()})`)
    .limit(1);
  if (!row) return { ok: false, message: `No account uses ${email}. Sign up first, then run this again.` };
  await db.transaction(async (tx) => {
    await tx.insert(accountRoles).values({ accountId: row.accountId, role: "admin" }).onConflictDoNothing();
    await audit(tx, { actorId: null, action: "role.grant", targetType: "account", targetId: row.accountId, after: { role: "admin" }, reason: "scripts/make-admin" });
  });
  return { ok: true, name: row.name };
}
