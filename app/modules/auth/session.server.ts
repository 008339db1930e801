import { createCookieSessionStorage, createSessionStorage, redirect } from "@remix-run/node";
import { and, eq, gt } from "drizzle-orm";
import { db } from "#db/client.server";
import { sessions } from "#db/schema";
import { config } from "~/lib/config.server";
import { signedCookie } from "~/lib/signed-cookie.server";
import { loadViewerForSession } from "./credentials.server";
import { deviceName, hasRole, type Role, type Viewer } from "./roles";
import { randomToken, sha256 } from "./tokens.server";

const SESSION_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

const sessionCookie = signedCookie("bd_session", { maxAgeSeconds: SESSION_LIFETIME_SECONDS });

// Sessions live in the database: any instance can read them, and logging out (or a password
// reset) ends them on the server, not just in the browser.
const sessionStorage = createSessionStorage<{ accountId: string; device: string }>({
  cookie: sessionCookie,
  async createData(data) {
    const token = randomToken();
    await db.insert(sessions).values({
      id: sha256(token),
      accountId: (data.accountId as string | undefined) ?? null,
      data: data as Record<string, unknown>,
      expiresAt: new Date(Date.now() + SESSION_LIFETIME_SECONDS * 1000),
    });
    return token;
  },
  async readData(token) {
    const [row] = await db
      .select({ data: sessions.data })
      .from(sessions)
      .where(and(eq(sessions.id, sha256(token)), gt(sessions.expiresAt, new Date())))
      .limit(1);
    return row?.data ?? null;
  },
  async updateData(token, data) {
    await db
      .update(sessions)
      .set({ data: data as Record<string, unknown>, accountId: (data.accountId as string | undefined) ?? null })
      .where(eq(sessions.id, sha256(token)));
  },
  async deleteData(token) {
    await db.delete(sessions).where(eq(sessions.id, sha256(token)));
  },
});

// Short confirmations ("You are logged out") ride in their own cookie, so anonymous visitors
// never create a database session.
const noticeStorage = createCookieSessionStorage<Record<string, never>, { notice: string }>({
  cookie: signedCookie("bd_notice"),
});

const viewerByRequest = new WeakMap<Request, Promise<Viewer | null>>();
// Remix hands each loader of a page its own copy of the Request, so the root loader and the
// route's loader would each look the session up; lookups of one session still in flight are
// shared instead (they are the same person asking at the same moment).
const viewerLookupsInFlight = new Map<string, Promise<Viewer | null>>();

/** The signed-in person, or null. Looked up once per request: one statement (session, account, address, roles). */
export function getViewer(request: Request): Promise<Viewer | null> {
  let viewer = viewerByRequest.get(request);
  if (!viewer) {
    viewer = viewerFromCookie(request.headers.get("Cookie"));
    viewerByRequest.set(request, viewer);
  }
  return viewer;
}

async function viewerFromCookie(cookieHeader: string | null): Promise<Viewer | null> {
  if (!cookieHeader?.includes("bd_session=")) return null;
  const token = (await sessionCookie.parse(cookieHeader)) as string | null;
  if (typeof token !== "string" || !token) return null;
  const hash = sha256(token);
  let lookup = viewerLookupsInFlight.get(hash);
  if (!lookup) {
    lookup = loadViewerForSession(hash).finally(() => viewerLookupsInFlight.delete(hash));
    viewerLookupsInFlight.set(hash, lookup);
  }
  return lookup;
}

export async function requireUser(request: Request): Promise<Viewer> {
  const viewer = await getViewer(request);
  if (!viewer) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return viewer;
}

/** Signed in and holding the role (admins hold every role); 403 otherwise. */
export async function requireRole(request: Request, role: Role): Promise<Viewer> {
  const viewer = await requireUser(request);
  if (!hasRole(viewer, role)) throw new Response("You don't have access to this page.", { status: 403, statusText: "Forbidden" });
  return viewer;
}

/**
 * For pages of staff areas (the agent desk): signed in and holding the role, else the page
 * doesn't exist (404), so a learner can't tell staff pages from mistyped ones. Actions use
 * requireRole: a forged post from a signed-in non-agent is refused with 403.
 */
export async function requireRoleOrNotFound(request: Request, role: Role): Promise<Viewer> {
  const viewer = await requireUser(request);
  if (!hasRole(viewer, role)) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return viewer;
}

/** This browser's session token (the cookie's), to tell its session from the account's others; null when signed out. */
export async function currentSessionToken(request: Request): Promise<string | null> {
  const cookieHeader = request.headers.get("Cookie");
  if (!cookieHeader?.includes("bd_session=")) return null;
  const token = (await sessionCookie.parse(cookieHeader)) as string | null;
  return typeof token === "string" && token ? token : null;
}

/** Ends this browser's session (the account was deleted): the cookie to clear it. */
export async function endSession(request: Request): Promise<string> {
  const session = await sessionStorage.getSession(request.headers.get("Cookie"));
  return sessionStorage.destroySession(session);
}

/** Starts a fresh session (new id, so a planted session id is useless) and redirects. */
export async function createLoginSession({ request, accountId, redirectTo }: { request: Request; accountId: string; redirectTo: string }) {
  const old = await sessionStorage.getSession(request.headers.get("Cookie"));
  const headers = new Headers();
  if (old.id) await sessionStorage.destroySession(old);
  const session = await sessionStorage.getSession();
  session.set("accountId", accountId);
  // Shown on My profile's list of sessions, so the learner recognises each one.
  session.set("device", deviceName(request.headers.get("User-Agent")));
  headers.append("Set-Cookie", await sessionStorage.commitSession(session));
  headers.append("Set-Cookie", await noticeCookie("You are logged in."));
  return redirect(redirectTo, { headers });
}

export async function logout(request: Request) {
  const session = await sessionStorage.getSession(request.headers.get("Cookie"));
  const headers = new Headers();
  headers.append("Set-Cookie", await sessionStorage.destroySession(session));
  headers.append("Set-Cookie", await noticeCookie("You are logged out."));
  return redirect("/", { headers });
}

async function noticeCookie(message: string): Promise<string> {
  const notice = await noticeStorage.getSession();
  notice.flash("notice", message);
  return noticeStorage.commitSession(notice);
}

/** Redirects with a one-time confirmation shown at the top of the next page. */
export async function redirectWithNotice(to: string, message: string, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await noticeCookie(message));
  return redirect(to, { ...init, headers });
}

/** Reads (and clears) the pending notice; returns the Set-Cookie header to send when there was one. */
export async function popNotice(request: Request): Promise<{ notice: string | null; setCookie: string | null }> {
  const cookie = request.headers.get("Cookie");
  if (!cookie?.includes("bd_notice=")) return { notice: null, setCookie: null };
  const session = await noticeStorage.getSession(cookie);
  const notice = (session.get("notice") as string | undefined) ?? null;
  return { notice, setCookie: await noticeStorage.commitSession(session) };
}
