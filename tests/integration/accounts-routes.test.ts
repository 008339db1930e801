// The My badges routes as a browser without JavaScript uses them: form posts, redirects with a
// notice, answers with the right status, and nothing about other people's addresses.
import { describe, expect, test } from "vitest";
import { loader as accountLoader } from "~/routes/account";
import * as myBadgesRoute from "~/routes/my.badges._index";
import { action as myBadgesAction, loader as myBadgesLoader } from "~/routes/my.badges._index";
import { action as removeAction, loader as removeLoader } from "~/routes/my.badges.addresses.$emailId.remove";
import { addEmail, createLearner } from "../support/factories";
import { remixPages } from "../support/remix-pages";
import { award, createBadge, createSessionCookie, getPage, postForm, thrown } from "./accounts-fixtures";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} as never });


/** What an action answered: a redirect with its notice cookie, or the data and status shown on the page. */
async function answer(result: unknown): Promise<{ status: number; location?: string | null; body?: Record<string, unknown> }> {
  if (result instanceof Response) return { status: result.status, location: result.headers.get("Location") };
  const { data: body, init } = result as { data: Record<string, unknown>; init: { status?: number } | null };
  return { status: init?.status ?? 200, body };
}

describe("My badges without JavaScript", () => {
  test("signed out, the page asks to log in and comes back", async () => {
    const response = await thrown(myBadgesLoader(args(new Request("http://badgedesk.test/my/badges"))));
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fmy%2Fbadges");
  });

  test("the old account page sends a signed-in learner to My badges", async () => {
    const ana = await createLearner();
    const response = await thrown(accountLoader(args(getPage("/account", await createSessionCookie(ana.id)))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/my/badges");
  });

  test("sending a link redirects back with a notice; asking again at once is answered with the wait", async () => {
    const ana = await createLearner();
    const school = await addEmail(ana.id, "ana@school.example.edu");
    const cookie = await createSessionCookie(ana.id);

    const sent = await myBadgesAction(args(postForm("/my/badges", cookie, { intent: "send-link", emailId: school.id })));
    expect(await answer(sent)).toMatchObject({ status: 302, location: "/my/badges" });
    expect((sent as Response).headers.get("Set-Cookie")).toContain("bd_notice=");

    const again = await answer(await myBadgesAction(args(postForm("/my/badges", cookie, { intent: "send-link", emailId: school.id }))));
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ problem: { intent: "send-link", target: school.id } });
    expect(String((again.body!.problem as { message: string }).message)).toMatch(/less than 5 minutes ago.*in [45] minutes/);

    // The page a browser gets says when in its Retry-After too (not the server's 60 s floor).
    const page = remixPages([{ id: "routes/my.badges._index", path: "my/badges", module: myBadgesRoute }]);
    const refused = await page(postForm("/my/badges", cookie, { intent: "send-link", emailId: school.id }));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(200);
  });

  test("adding an address verified elsewhere is refused beside the field, with the merge article", async () => {
    await createLearner({ email: "taken@example.org" });
    const ana = await createLearner();
    const result = await answer(await myBadgesAction(args(postForm("/my/badges", await createSessionCookie(ana.id), { intent: "add-email", email: "Taken@example.org" }))));
    expect(result.status).toBe(409);
    expect(result.body).toMatchObject({ problem: { intent: "add-email", mergeHelp: true }, values: { email: "Taken@example.org" } });
  });

  test("a malformed address is answered beside the field and kept as typed", async () => {
    const ana = await createLearner();
    const result = await answer(await myBadgesAction(args(postForm("/my/badges", await createSessionCookie(ana.id), { intent: "add-email", email: "ana at school" }))));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ problem: { intent: "add-email", message: "Enter an email address like name@example.org." }, values: { email: "ana at school" } });
  });

  test("the remove confirm page lists the badges leaving, and the post removes the address", async () => {
    const ana = await createLearner();
    const work = await addEmail(ana.id, "ana@work.example", { verified: true });
    await award("ana@work.example", { badge: await createBadge("Python Foundations") });
    const cookie = await createSessionCookie(ana.id);

    const preview = await removeLoader(args(getPage(`/my/badges/addresses/${work.id}/remove`, cookie), { emailId: work.id }));
    expect(preview).toMatchObject({ email: "ana@work.example", leaving: [{ badgeName: "Python Foundations" }] });

    const removed = await removeAction(args(postForm(`/my/badges/addresses/${work.id}/remove`, cookie, { intent: "remove-address" }), { emailId: work.id }));
    expect(await answer(removed)).toMatchObject({ status: 302, location: "/my/badges" });
    const page = await myBadgesLoader(args(getPage("/my/badges", cookie)));
    expect(page.addresses.map((a) => a.email)).toEqual([ana.email]);
    expect(page.backpack).toEqual([]);
  });

  test("someone else's address has no remove page, and a post for it changes nothing", async () => {
    const [ana, ben] = [await createLearner(), await createLearner()];
    const bensSchool = await addEmail(ben.id, "ben@school.example.edu");
    const cookie = await createSessionCookie(ana.id);
    const response = await thrown(removeLoader(args(getPage(`/my/badges/addresses/${bensSchool.id}/remove`, cookie), { emailId: bensSchool.id })));
    expect(response.status).toBe(404);
    const post = await answer(await removeAction(args(postForm(`/my/badges/addresses/${bensSchool.id}/remove`, cookie, { intent: "remove-address" }), { emailId: bensSchool.id })));
    expect(post.status).toBe(404);
    const bens = await myBadgesLoader(args(getPage("/my/badges", await createSessionCookie(ben.id))));
    expect(bens.addresses.map((a) => a.email)).toContain("ben@school.example.edu");
  });
});

describe("a badge sent to a misspelt address", () => {
  const search = async (accountId: string, sentTo: string) =>
    (await myBadgesLoader(args(getPage(`/my/badges?sentTo=${encodeURIComponent(sentTo)}`, await createSessionCookie(accountId))))) as Awaited<ReturnType<typeof myBadgesLoader>>;

  test("a slip before the @ of Ana's verified address shows the badges there and the way to Customer Care", async () => {
    const ana = await createLearner({ email: "ana.souza@example.org" });
    await award("ana.suoza@example.org", { badge: await createBadge("Python Foundations", "Northbridge College") });
    await award("Ana.Suoza@Example.org", { badge: await createBadge("Data Literacy", "Lakeside Institute") });
    // Not on the page by itself: the lookup only finds slips in a provider's name.
    expect((await myBadgesLoader(args(getPage("/my/badges", await createSessionCookie(ana.id))))).notInBackpack).toEqual([]);

    const page = await search(ana.id, " ana.suoza@example.org ");
    expect(page.sentTo).toBe(" ana.suoza@example.org ");
    expect(page.misspelt).toMatchObject({ error: null, supportLink: expect.stringMatching(/^\/tickets\/new\?category=missing_badge&/) });
    const ticketForm = new URL(page.misspelt!.supportLink!, "http://badgedesk.test").searchParams;
    expect(ticketForm.get("badgeEmail")).toBe("ana.suoza@example.org");
    expect(ticketForm.get("description")).toContain("a misspelling of my address ana.souza@example.org");
    expect(page.misspelt!.message).toContain("2 badges were sent to ana.suoza@example.org, which looks like a misspelling of your address ana.souza@example.org");
    expect(page.misspelt!.badges.map((b) => [b.badgeName, b.issuerName]).sort()).toEqual([
      ["Data Literacy", "Lakeside Institute"],
      ["Python Foundations", "Northbridge College"],
    ]);
  });

  test("nothing about other people's addresses: another account's address and a stranger's get the same neutral answer", async () => {
    const ana = await createLearner({ email: "ana.souza@example.org" });
    await createLearner({ email: "ana.souza2@example.org" });
    await award("ana.souza2@example.org", { badge: await createBadge("Someone else's badge") });
    await award("ben.okafor@example.org", { badge: await createBadge("A stranger's badge") });

    const other = (await search(ana.id, "ana.souza2@example.org")).misspelt!;
    const stranger = (await search(ana.id, "ben.okafor@example.org")).misspelt!;
    expect(other).toEqual(stranger);
    expect(other).toMatchObject({ error: null, badges: [], supportLink: null, message: expect.stringContaining("add it under Email addresses and verify it") });
  });

  test("bad input is answered beside the field with what was typed kept; her own address is recognised", async () => {
    const ana = await createLearner({ email: "ana.souza@example.org" });
    const bad = await search(ana.id, "ana.suoza at example");
    expect(bad.sentTo).toBe("ana.suoza at example");
    expect(bad.misspelt).toMatchObject({ error: "Enter an email address like name@example.org.", message: null });
    expect((await search(ana.id, "")).misspelt).toMatchObject({ error: "Enter an email address." });
    expect((await search(ana.id, "ANA.SOUZA@example.org")).misspelt!.message).toBe("ANA.SOUZA@example.org is one of your addresses: its badges are listed on this page.");
  });

  test("a learner looking up address after address is asked to wait", async () => {
    const ana = await createLearner({ email: "ana.souza@example.org" });
    for (let i = 0; i < 30; i++) expect((await search(ana.id, `someone${i}@example.org`)).misspelt!.error).toBeNull();
    expect((await search(ana.id, "ana.suoza@example.org")).misspelt!.error).toMatch(/^You have looked up many addresses in the last hour\. Please try again in \d+ minutes?\.$/);
  });
});
