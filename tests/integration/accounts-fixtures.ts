// Badge-platform rows for the accounts tests (issuers, badges, awards, revocations, invitations)
// and signed-in requests for their route tests.
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { auditLog, awards, badgeClasses, issuers, pathwayInvitations, pathways, revocations } from "#db/schema";
import { createLoginSession } from "~/modules/auth";
import { createTicket } from "../support/factories";

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

/** The newest audit row for a target, as the audit log page would show it. */
export async function lastAudit(targetId: string, action?: string) {
  const [row] = await db
    .select()
    .from(auditLog)
    .where(action ? and(eq(auditLog.targetId, targetId), eq(auditLog.action, action)) : eq(auditLog.targetId, targetId))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row ?? null;
}

// A real signed-in session, for calling route loaders and actions as the browser would.
export async function createSessionCookie(accountId: string): Promise<string> {
  const response = await createLoginSession({ request: new Request("http://badgedesk.test/login"), accountId, redirectTo: "/" });
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  const session = cookies.find((c) => c.startsWith("bd_session="));
  if (!session) throw new Error("No session cookie");
  return session;
}

/** A form post from the page itself (same origin), signed in. */
export function postForm(url: string, cookie: string, fields: Record<string, string>): Request {
  return new Request(`http://badgedesk.test${url}`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: "http://badgedesk.test" },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The Response a loader or action threw (a redirect, a 404…); fails when it threw something else or nothing. */
export async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("Expected a thrown response");
}

export function getPage(url: string, cookie: string): Request {
  return new Request(`http://badgedesk.test${url}`, { headers: { Cookie: cookie } });
}

/** A ticket filed by a learner (signed in when accountId is given), as the ticket form would. */
export async function fileTicket({
  accountId = null,
  name = "Test Learner",
  email,
  badgeEmail = null,
  category = "missing_badge",
  description = "My badge never reached my backpack. Please help.",
}: {
  accountId?: string | null;
  name?: string;
  email: string;
  badgeEmail?: string | null;
  category?: "missing_badge" | "revoked_badge" | "email_account" | "pathways";
  description?: string;
}) {
  const { ticketId, reference } = await createTicket({ requester: { accountId, name, email }, category, subject: "Where is my badge?", description, badgeEmail });
  return { id: ticketId, reference };
}
