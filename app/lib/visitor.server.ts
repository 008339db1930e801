// Who is voting, read from the request: a signed-in learner by account, anyone else by a
// long-lived random visitor id in a signed cookie (set on the first vote only, so browsing never
// sets a cookie). The knowledge base receives the resulting voter key, a plain string.
import { randomUUID } from "node:crypto";
import { signedCookie } from "./signed-cookie.server";
import { isUuid } from "./uuid";

const visitorCookie = signedCookie("bd_visitor", { maxAgeSeconds: 365 * 24 * 60 * 60 });

async function visitorId(request: Request): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (!header?.includes("bd_visitor=")) return null;
  const value = await visitorCookie.parse(header);
  return typeof value === "string" && isUuid(value) ? value : null;
}

/** The voter key of a request, or null for a visitor who never voted. */
export async function findVoterKey(request: Request, viewer: { id: string } | null): Promise<string | null> {
  if (viewer) return `account:${viewer.id}`;
  const id = await visitorId(request);
  return id ? `visitor:${id}` : null;
}

/** The voter key, creating a visitor id (and the Set-Cookie header to send) when there is none. */
export async function ensureVoterKey(request: Request, viewer: { id: string } | null): Promise<{ voterKey: string; setCookie: string | null }> {
  const existing = await findVoterKey(request, viewer);
  if (existing) return { voterKey: existing, setCookie: null };
  const id = randomUUID();
  return { voterKey: `visitor:${id}`, setCookie: await visitorCookie.serialize(id) };
}

/** A Cookie header with any of these makes a page personal: session, notice, visitor. */
export const PERSONAL_COOKIE = /(?:^|;\s*)(?:bd_session|bd_notice|bd_visitor)=/;

/** Whether a request carries anything that makes its pages personal (see the public-page cache). */
export function hasPersonalCookie(request: Request): boolean {
  return PERSONAL_COOKIE.test(request.headers.get("Cookie") ?? "");
}
