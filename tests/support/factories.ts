// Builders for integration and browser tests: real rows in the real test database (for a browser
// test, before its private server starts: see private-server.ts).
import { randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { accountEmails, accountRoles, accounts, mailOutbox, ticketMacros } from "#db/schema";
import { hashPassword } from "~/modules/auth/passwords.server";
import type { Role, Viewer } from "~/modules/auth/roles";
import { openTicket } from "~/modules/tickets";
import type { TicketCategory, TicketStatus } from "~/modules/tickets/ticket-rules";

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

/** A Customer Care agent (a verified account with the agent role). */
export function createAgent({ name = "Test Agent", email = uniqueEmail("agent") }: { name?: string; email?: string } = {}) {
  return createLearner({ name, email, roles: ["agent"] });
}

/** A ticket filed as the web form files it, by a signed-in requester (or a guest, without accountId). */
export async function createTicket({
  requester,
  subject = `Where is my badge? (${randomUUID().slice(0, 6)})`,
  description = "My badge never reached my backpack. Please help.",
  category = "missing_badge",
  badgeEmail = null,
}: {
  requester: { accountId?: string | null; id?: string; name: string; email: string };
  subject?: string;
  description?: string;
  category?: TicketCategory;
  badgeEmail?: string | null;
}) {
  const result = await openTicket({
    requester: { accountId: requester.accountId ?? requester.id ?? null, name: requester.name, email: requester.email },
    category,
    subject,
    description,
    badgeEmail,
    source: "web",
    idempotencyKey: randomUUID(),
  });
  if (!result.ok) throw new Error(`Ticket not opened: ${JSON.stringify(result)}`);
  return { ticketId: result.ticketId, reference: result.reference, subject };
}

/** A saved reply. Stored as is: placeholders are checked when an agent saves one, not here. */
export async function createMacro({ title, body, setsStatus = null }: { title: string; body: string; setsStatus?: TicketStatus | null }) {
  const [macro] = await db.insert(ticketMacros).values({ title, body, setsStatus }).returning({ id: ticketMacros.id });
  return { id: macro.id, title };
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
