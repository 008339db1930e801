// "Did you find it helpful?" through the article route, as a browser with and without JavaScript sends it.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { kbFeedback, kbVotes, tickets } from "#db/schema";
import { voteTallies } from "~/modules/kb";
import { action as articleAction, loader as articleLoader } from "~/routes/faq.$category.$slug";
import { formRequest, importTestArticles, routeContext } from "../support/kb";

const URL_PATH = "/faq/pathways/lost-pathway-invitation";
const params = { category: "pathways", slug: "lost-pathway-invitation" };

async function post(fields: Record<string, string>, { cookie, ip }: { cookie?: string; ip?: string } = {}) {
  try {
    return await articleAction({ request: formRequest(URL_PATH, fields, cookie ? { Cookie: cookie } : {}), params, context: routeContext(ip) });
  } catch (thrown) {
    return thrown as Response;
  }
}
const statusOf = (result: unknown) => (result instanceof Response ? result.status : ((result as { init?: ResponseInit }).init?.status ?? 200));
const headersOf = (result: unknown) => (result instanceof Response ? result.headers : new Headers((result as { init?: ResponseInit }).init?.headers));
const cookieFrom = (result: unknown) => headersOf(result).get("set-cookie")?.split(";")[0] ?? "";

async function tally() {
  const [{ articleId }] = await db.select({ articleId: kbVotes.articleId }).from(kbVotes).limit(1);
  return (await voteTallies()).get(articleId);
}

beforeEach(async () => {
  await importTestArticles();
});

describe("one vote per visitor per article", () => {
  test("a visitor may change their vote; it is counted once", async () => {
    const first = await post({ intent: "vote", helpful: "yes" });
    expect(statusOf(first)).toBe(302);
    expect(headersOf(first).get("location")).toBe(`${URL_PATH}#feedback`);
    const visitor = cookieFrom(first);
    expect(visitor).toMatch(/^bd_visitor=/);
    expect(await tally()).toEqual({ yes: 1, no: 0 });

    const changed = await post({ intent: "vote", helpful: "no" }, { cookie: visitor });
    expect(statusOf(changed)).toBe(302);
    expect(headersOf(changed).get("set-cookie")).toBeNull();
    expect(await tally()).toEqual({ yes: 0, no: 1 });
    await post({ intent: "vote", helpful: "no" }, { cookie: visitor });
    expect(await tally()).toEqual({ yes: 0, no: 1 });

    // Someone else's vote counts separately.
    await post({ intent: "vote", helpful: "yes" });
    expect(await tally()).toEqual({ yes: 1, no: 1 });
  });

  test("35 cookie-less votes from one client move one article's tally by at most 5, with a Retry-After", async () => {
    const answers = [];
    for (let i = 0; i < 35; i++) answers.push(await post({ intent: "vote", helpful: "yes" }, { ip: "198.51.100.35" }));
    expect(await tally()).toEqual({ yes: 5, no: 0 });
    const refused = answers.filter((a) => statusOf(a) === 429);
    expect(refused).toHaveLength(30);
    expect(Number(headersOf(refused[0]).get("retry-after"))).toBeGreaterThan(0);
    // Another client still counts.
    await post({ intent: "vote", helpful: "no" }, { ip: "198.51.100.36" });
    expect(await tally()).toEqual({ yes: 5, no: 1 });
  });

  test("a forged visitor cookie is a new visitor, not someone else's vote", async () => {
    const visitor = cookieFrom(await post({ intent: "vote", helpful: "yes" }));
    const forged = `${visitor.slice(0, -4)}AAAA`;
    await post({ intent: "vote", helpful: "no" }, { cookie: forged });
    expect(await tally()).toEqual({ yes: 1, no: 1 });
  });

  test("the page shows the visitor their own answer, and is then private", async () => {
    const visitor = cookieFrom(await post({ intent: "vote", helpful: "yes" }));
    const page = (await articleLoader({ request: new Request(`http://badgedesk.test${URL_PATH}`, { headers: { Cookie: visitor } }), params, context: routeContext() })) as unknown as {
      data: { feedback: unknown };
      init: ResponseInit;
    };
    expect(page.data.feedback).toEqual({ vote: "yes", commented: false, contactEmail: null });
    expect(new Headers(page.init.headers).get("cache-control")).toBe("private, no-store");
  });

  test("with JavaScript the answer comes back as data, without a redirect", async () => {
    const result = await post({ intent: "vote", helpful: "no", js: "1" });
    expect(statusOf(result)).toBe(200);
    expect((result as unknown as { data: unknown }).data).toEqual({ ok: true });
  });

  test("votes are rate-limited per network", async () => {
    let last: unknown = null;
    for (let i = 0; i < 31; i++) last = await post({ intent: "vote", helpful: "yes" }, { ip: "198.51.100.9" });
    expect(statusOf(last)).toBe(429);
    expect(headersOf(last).get("retry-after")).toMatch(/^\d+$/);
    expect(statusOf(await post({ intent: "vote", helpful: "yes" }, { ip: "198.51.100.10" }))).toBe(302);
  });
});

describe("Help us improve this article", () => {
  test("a comment is stored with the article and turns the vote into No", async () => {
    const visitor = cookieFrom(await post({ intent: "vote", helpful: "yes" }));
    const result = await post({ intent: "comment", comment: "It doesn't say what to do on a phone.", email: "" }, { cookie: visitor });
    expect(statusOf(result)).toBe(302);
    const [feedback] = await db.select().from(kbFeedback);
    expect(feedback).toMatchObject({ comment: "It doesn't say what to do on a phone.", contactEmail: null, wantsContact: false, ticketId: null });
    expect(await tally()).toEqual({ yes: 0, no: 1 });
  });

  test("too long, or contact without an address, is answered beside the field and nothing is stored", async () => {
    const long = await post({ intent: "comment", comment: "x".repeat(2001) });
    expect(statusOf(long)).toBe(400);
    expect((long as unknown as { data: { errors: Record<string, string> } }).data.errors.comment).toBe("Keep your comment to 2,000 characters (it has 2,001).");
    const noAddress = await post({ intent: "comment", comment: "Call me", contact: "on", email: "" });
    expect((noAddress as unknown as { data: { errors: Record<string, string> } }).data.errors.email).toMatch(/Enter the address we should reply to/);
    const badAddress = await post({ intent: "comment", comment: "Hi", email: "not-an-address" });
    expect((badAddress as unknown as { data: { errors: Record<string, string> } }).data.errors.email).toMatch(/Enter an email address/);
    expect(await db.select().from(kbFeedback)).toHaveLength(0);
  });

  test("“contact me” keeps the address with a flag and opens a ticket linked to the article", async () => {
    const result = await post({ intent: "comment", comment: "My invitation is not under My Pathways either.", email: "noor@example.test", contact: "on" });
    expect(statusOf(result)).toBe(302);
    const [feedback] = await db.select().from(kbFeedback);
    expect(feedback).toMatchObject({ contactEmail: "noor@example.test", wantsContact: true });
    expect(feedback.ticketId).not.toBeNull();
    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, feedback.ticketId!));
    expect(ticket).toMatchObject({ articleSlug: "lost-pathway-invitation", source: "article_feedback" });
  });
});
