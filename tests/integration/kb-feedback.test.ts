// "Did you find it helpful?" through the article route, as a browser with and without JavaScript sends it.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { kbFeedback, kbVotes, tickets } from "#db/schema";
import { voteTallies } from "~/modules/kb";
import * as articleRoute from "~/routes/faq.$category.$slug";
import { formRequest, importTestArticles, routeContext } from "../support/kb";
import { pageText, remixPages, textOfId } from "../support/remix-pages";

const URL_PATH = "/faq/pathways/lost-pathway-invitation";
const page = remixPages([{ id: "routes/faq.$category.$slug", path: "faq/:category/:slug", module: articleRoute }]);

/** The form posted as a browser without JavaScript sends it (with `.data`, as Remix's fetch with JavaScript does). */
function post(fields: Record<string, string>, { cookie, ip, scripted = false }: { cookie?: string; ip?: string; scripted?: boolean } = {}) {
  return page(formRequest(scripted ? `${URL_PATH}.data` : URL_PATH, fields, cookie ? { Cookie: cookie } : {}), routeContext(ip));
}
const statusOf = (response: Response) => response.status;
const headersOf = (response: Response) => response.headers;
const cookieFrom = (response: Response) => response.headers.get("set-cookie")?.split(";")[0] ?? "";

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
    const response = await page(new Request(`http://badgedesk.test${URL_PATH}`, { headers: { Cookie: visitor } }), routeContext());
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const text = pageText(await response.text());
    expect(text).toContain("Thanks for letting us know — we're glad it helped.");
    expect(text).toContain("Actually, it didn't help");
    // A visitor without the cookie is asked afresh.
    const stranger = pageText(await (await page(new Request(`http://badgedesk.test${URL_PATH}`), routeContext())).text());
    expect(stranger).not.toContain("glad it helped");
  });

  test("with JavaScript the answer comes back as data, without a redirect", async () => {
    const result = await post({ intent: "vote", helpful: "no", js: "1" }, { scripted: true });
    expect(statusOf(result)).toBe(200);
    expect(result.headers.get("location")).toBeNull();
    expect(result.headers.get("x-remix-redirect")).toBeNull();
    expect(await tally()).toEqual({ yes: 0, no: 1 });
  });

  test("votes are rate-limited per network", async () => {
    let last: Response | null = null;
    for (let i = 0; i < 31; i++) last = await post({ intent: "vote", helpful: "yes" }, { ip: "198.51.100.9" });
    expect(statusOf(last!)).toBe(429);
    expect(headersOf(last!).get("retry-after")).toMatch(/^\d+$/);
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
    // The visitor said No, so the page asks for a comment; the errors come back beside its fields.
    const cookie = cookieFrom(await post({ intent: "vote", helpful: "no" }));
    const long = await post({ intent: "comment", comment: "x".repeat(2001) }, { cookie });
    expect(statusOf(long)).toBe(400);
    expect(textOfId(await long.text(), "feedback-comment-error")).toBe("Keep your comment to 2,000 characters (it has 2,001).");
    const noAddress = await post({ intent: "comment", comment: "Call me", contact: "on", email: "" }, { cookie });
    expect(statusOf(noAddress)).toBe(400);
    expect(textOfId(await noAddress.text(), "feedback-email-error")).toMatch(/Enter the address we should reply to/);
    const badAddress = await post({ intent: "comment", comment: "Hi", email: "not-an-address" }, { cookie });
    const badAddressPage = await badAddress.text();
    expect(textOfId(badAddressPage, "feedback-email-error")).toMatch(/Enter an email address/);
    expect(badAddressPage).toContain('value="not-an-address"');
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
