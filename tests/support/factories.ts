// Builders for integration and browser tests: real rows in the real test database (for a browser
// test, before its private server starts: see private-server.ts).
import { randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { accountEmails, accountRoles, accounts, awards, badgeClasses, issuers, mailOutbox, pathwayInvitations, pathways, revocations, ticketMacros } from "#db/schema";
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

// The badge platform's rows: issuers, badges, awards, revocations, pathway invitations.

const DAY = 24 * 60 * 60 * 1000;
export const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

export async function createBadge(name = "Data Literacy", issuerName = "Lakeside Institute", { contactEmail = null }: { contactEmail?: string | null } = {}) {
  const [issuer] = await db.insert(issuers).values({ name: issuerName, contactEmail }).returning();
  const [badge] = await db.insert(badgeClasses).values({ issuerId: issuer.id, name, description: `${name}, the description` }).returning();
  return { issuerId: issuer.id, badgeClassId: badge.id, name, issuerName };
}

export async function award(
  recipientEmail: string,
  { badge, issuedDaysAgo = 10, expiresAt = null, removed = false }: { badge?: { badgeClassId: string }; issuedDaysAgo?: number; expiresAt?: Date | null; removed?: boolean } = {},
) {
  const badgeClassId = badge?.badgeClassId ?? (await createBadge(`Badge ${randomUUID().slice(0, 6)}`)).badgeClassId;
  const [row] = await db
    .insert(awards)
    .values({ badgeClassId, recipientEmail, issuedOn: daysAgo(issuedDaysAgo), expiresAt, removedByLearnerAt: removed ? daysAgo(1) : null })
    .returning();
  return row;
}

export async function revoke(awardId: string, { daysAgo: when = 2, reinstated = false }: { daysAgo?: number; reinstated?: boolean } = {}) {
  const [row] = await db
    .insert(revocations)
    .values({
      awardId,
      reason: "Assessment not submitted",
      revokedBy: "Registrar",
      revokedAt: daysAgo(when),
      ...(reinstated ? { reinstatedAt: daysAgo(when - 1), reinstatementAuthorisedBy: "Dean", reinstatementReference: "REF-1" } : {}),
    })
    .returning();
  return row;
}

export async function invite(email: string, status: "pending" | "accepted" | "cancelled" = "pending") {
  const { issuerId } = await createBadge();
  const [pathway] = await db.insert(pathways).values({ issuerId, name: "Maker Pathway" }).returning();
  const [row] = await db.insert(pathwayInvitations).values({ pathwayId: pathway.id, email, status }).returning();
  return row;
}

/**
 * A learner whose account shows one of the diagnosis engine's cases on My badges and beside the
 * ticket form, with the badges that make it (badge names are unique per call unless given):
 * - "badges at an unverified address": a badge at the verified primary address, and two more at a
 *   second address on the account that isn't verified yet (one of them written in another case);
 * - "badge revoked": a badge the issuer revoked, at the primary address;
 * - "badge at a misspelt address": a badge at the primary address, and one sent to a misspelling
 *   of it that is on no account (`misspeltAddress`, or the primary with its first vowel doubled).
 */
export async function createLearnerWithBadges(
  state: "badges at an unverified address" | "badge revoked" | "badge at a misspelt address",
  { name = "Test Learner", email = uniqueEmail(), unverifiedAddress = uniqueEmail("school"), misspeltAddress, badgeNames }: { name?: string; email?: string; unverifiedAddress?: string; misspeltAddress?: string; badgeNames?: string[] } = {},
) {
  const tag = randomUUID().slice(0, 4);
  const names = badgeNames ?? [`Python Foundations ${tag}`, `Data Literacy ${tag}`, `Spreadsheet Skills ${tag}`];
  const learner = await createLearner({ name, email });
  const badges = [];
  for (const badgeName of names) badges.push(await createBadge(badgeName, "Lakeside Technical Institute"));
  const held = await award(email, { badge: badges[0], issuedDaysAgo: 120 });
  if (state === "badges at an unverified address") {
    await addEmail(learner.id, unverifiedAddress);
    await award(unverifiedAddress, { badge: badges[1], issuedDaysAgo: 12 });
    await award(unverifiedAddress.replace(/^./, (c) => c.toUpperCase()), { badge: badges[2], issuedDaysAgo: 9 });
    return { learner, badgeNames: names, unverifiedAddress };
  }
  if (state === "badge revoked") {
    await revoke(held.id, { daysAgo: 5 });
    return { learner, badgeNames: names };
  }
  const misspelt = misspeltAddress ?? email.replace(/[aeiou]/, (vowel) => vowel + vowel);
  await award(misspelt, { badge: badges[1], issuedDaysAgo: 6 });
  return { learner, badgeNames: names, misspeltAddress: misspelt };
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
