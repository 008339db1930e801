// Builders for integration tests: real rows in the real test database.
import { randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { accountEmails, accountRoles, accounts, mailOutbox } from "#db/schema";
import { hashPassword } from "~/modules/auth/passwords.server";
import type { Role, Viewer } from "~/modules/auth/roles";

export const TEST_PASSWORD = "correct horse battery";
let cachedHash: Promise<string> | null = null;

export function uniqueEmail(prefix = "learner"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

export async function createLearner({
  name = "Test Learner",
  email = uniqueEmail(),
  verified = true,
  roles = [] as Role[],
}: { name?: string; email?: string; verified?: boolean; roles?: Role[] } = {}): Promise<Viewer & { emailId: string }> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const [account] = await db.insert(accounts).values({ name, passwordHash: await cachedHash }).returning();
  const [emailRow] = await db
    .insert(accountEmails)
    .values({ accountId: account.id, email, verifiedAt: verified ? new Date() : null, isPrimary: verified })
    .returning();
  for (const role of roles) await db.insert(accountRoles).values({ accountId: account.id, role });
  return { id: account.id, name, email, roles, emailId: emailRow.id };
}

export async function addEmail(accountId: string, email: string, { verified = false } = {}) {
  const [row] = await db.insert(accountEmails).values({ accountId, email, verifiedAt: verified ? new Date() : null }).returning();
  return row;
}

/** The newest queued message to an address, as the recipient would read it. */
export async function latestMailTo(address: string) {
  const [message] = await db
    .select()
    .from(mailOutbox)
    .where(sql`lower(${mailOutbox.toAddress}) = lower(${address})`)
    .orderBy(desc(mailOutbox.createdAt))
    .limit(1);
  return message ?? null;
}

export async function mailCountTo(address: string): Promise<number> {
  const list = await db.select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.toAddress, address));
  return list.length;
}

/** Pulls the token out of the first link in a message that points at `path`. */
export function tokenFromLink(text: string, path: string): string {
  const match = text.match(new RegExp(`https?://[^\\s]+${path.replace("/", "\\/")}\\?token=([\\w-]+)`));
  if (!match) throw new Error(`No ${path} link in:\n${text}`);
  return match[1];
}
