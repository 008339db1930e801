// Signed-in requests for the accounts route tests, and the audit row a change wrote.
import { and, desc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { auditLog } from "#db/schema";
import { createLoginSession } from "~/modules/auth";
import { createTicket } from "../support/factories";

// The badge-platform builders moved to the shared factories; re-exported for these tests.
export { award, createBadge, daysAgo, invite, revoke } from "../support/factories";

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
