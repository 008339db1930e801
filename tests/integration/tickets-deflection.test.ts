// Deflection: article suggestions shown beside the ticket form, opened, and the form then never
// sent — counted for the editors' report.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { ticketSuggestionEvents } from "#db/schema";
import { openTicket, recordSuggestionEvents, summarizeSuggestionDeflection } from "~/modules/tickets";
import { action as shownAction, loader as openedLoader } from "~/routes/tickets.suggestions";
import { uniqueEmail } from "../support/factories";

const context = { clientIp: "192.0.2.50", requestId: "test", cspNonce: "" };
const anHourAgo = () => new Date(Date.now() - 2 * 60 * 60 * 1000);

async function settleAllDrafts() {
  await db.update(ticketSuggestionEvents).set({ at: sql`now() - interval '2 hours'` });
}

describe("suggestion deflection", () => {
  test("opened then abandoned counts as deflected; opened then sent does not; merely shown counts as shown", async () => {
    const [abandoned, submitted, ignored] = [randomUUID(), randomUUID(), randomUUID()];
    for (const draftId of [abandoned, submitted, ignored]) {
      await recordSuggestionEvents({ draftId, kind: "shown", articleSlugs: ["verify-your-email", "missing-badge"], query: "badge missing" });
    }
    await recordSuggestionEvents({ draftId: abandoned, kind: "opened", articleSlugs: ["verify-your-email"], query: "badge missing" });
    await recordSuggestionEvents({ draftId: submitted, kind: "opened", articleSlugs: ["missing-badge"], query: "badge missing" });
    // Showing and opening again on the same form counts once.
    await recordSuggestionEvents({ draftId: abandoned, kind: "opened", articleSlugs: ["verify-your-email"], query: "badge missing again" });
    const sent = await openTicket({
      requester: { accountId: null, name: "Ben", email: uniqueEmail() },
      category: "missing_badge",
      subject: "Badge missing",
      description: "The article didn't help.",
      source: "web",
      idempotencyKey: submitted,
    });
    expect(sent.ok).toBe(true);
    await settleAllDrafts();

    const report = await summarizeSuggestionDeflection({ since: new Date(Date.now() - 24 * 60 * 60 * 1000) });
    expect(report.totals).toEqual({ forms: 3, formsWithOpenedSuggestion: 2, deflected: 1, submittedAfterOpening: 1 });
    expect(report.articles).toEqual([
      { articleSlug: "verify-your-email", shown: 3, opened: 1, openedThenAbandoned: 1, openedThenSubmitted: 0 },
      { articleSlug: "missing-badge", shown: 3, opened: 1, openedThenAbandoned: 0, openedThenSubmitted: 1 },
    ]);
  });

  test("a learner still typing is not counted as abandoned yet", async () => {
    const draftId = randomUUID();
    await recordSuggestionEvents({ draftId, kind: "opened", articleSlugs: ["verify-your-email"], query: "verify" });
    const report = await summarizeSuggestionDeflection({ since: anHourAgo() });
    expect(report.totals.deflected).toBe(0);
  });

  test("opening a suggestion goes through a counter that only ever sends the reader to a page on this site", async () => {
    const draft = randomUUID();
    const open = (to: string) =>
      openedLoader({
        request: new Request(`http://badgedesk.test/tickets/suggestions?${new URLSearchParams({ draft, slug: "verify-your-email", to, q: "verify" })}`),
        params: {},
        context,
      } as never).catch((e: unknown) => e as Response);

    const response = await open("/faq/account-and-email/verify-your-email");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/faq/account-and-email/verify-your-email");
    expect((await db.select().from(ticketSuggestionEvents)).map((e) => [e.draftId, e.kind, e.articleSlug])).toEqual([[draft, "opened", "verify-your-email"]]);

    expect((await open("https://evil.example/")).status).toBe(404);
    expect((await open("//evil.example/")).status).toBe(404);
  });

  test("the browser reports shown suggestions with a small POST", async () => {
    const draftId = randomUUID();
    const body = new URLSearchParams({ draftId, query: "pathway invitation" });
    body.append("slug", "find-pathway-invitation");
    body.append("slug", "allow-pathways-app");
    const response = await shownAction({ request: new Request("http://badgedesk.test/tickets/suggestions", { method: "POST", body }), params: {}, context } as never);
    expect(response.status).toBe(204);
    const rows = await db.select().from(ticketSuggestionEvents);
    expect(rows.map((r) => r.articleSlug).sort()).toEqual(["allow-pathways-app", "find-pathway-invitation"]);

    const bad = await shownAction({
      request: new Request("http://badgedesk.test/tickets/suggestions", { method: "POST", body: new URLSearchParams({ draftId: "nope" }) }),
      params: {},
      context,
    } as never);
    expect(bad.status).toBe(400);
  });
});
