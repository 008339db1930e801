// Search answers kept in memory (GET /api/search): a repeated query is answered as the route
// answered it and still counts as a search in the editors' log; a publish is searched on the very
// next request. And the search page's result links, which say a search helped without JavaScript.
import { desc } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { kbSearchLog } from "#db/schema";
import { cachedSearchAnswer, flushReadingLog, saveRevision } from "~/modules/kb";
import { loader as apiSearch } from "~/routes/api.search";
import * as searchRoute from "~/routes/search";
import * as openRoute from "~/routes/search_.open";
import { createLearner } from "../support/factories";
import { importTestArticles, routeContext } from "../support/kb";
import { remixPages } from "../support/remix-pages";

beforeEach(async () => {
  await importTestArticles();
});

const viaRoute = (query: string, key: string) =>
  apiSearch({ request: new Request(`http://badgedesk.test/api/search?${new URLSearchParams({ q: query, limit: "5", k: key })}`), params: {}, context: routeContext() });
const fromMemory = (query: string, key: string) => cachedSearchAnswer({ q: query, limit: "5", searchKey: key, clientKey: "203.0.113.7" });

describe("GET /api/search answers kept in memory", () => {
  test("a repeated query is answered from memory with the route's very bytes, and every request is a search in the log", async () => {
    expect(fromMemory("lost pathway invitation", "reader-one-0001")).toBeNull();
    const first = await viaRoute("lost pathway invitation", "reader-one-0001");
    expect(first.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(first.headers.get("cache-control")).toBe("no-store");
    const routeBody = await first.text();
    expect(JSON.parse(routeBody).results[0].slug).toBe("lost-pathway-invitation");

    expect(fromMemory("lost pathway invitation", "reader-two-0002")).toBe(routeBody);
    // Case and spacing don't change a search: the same kept results, the query echoed as sent.
    const respaced = fromMemory("Lost   PATHWAY invitation", "reader-three-03");
    expect(respaced).not.toBeNull();
    expect(JSON.parse(respaced!)).toEqual({ ...JSON.parse(routeBody), query: "Lost   PATHWAY invitation" });
    // A word still being typed is another search ("invitation" expands to its completions).
    expect(fromMemory("lost pathway invitation ", "reader-four-004")).toBeNull();

    await flushReadingLog();
    const log = await db.select().from(kbSearchLog).orderBy(kbSearchLog.id);
    expect(log.map((l) => [l.query, l.searchKey, l.resultCount > 0])).toEqual([
      ["lost pathway invitation", "reader-one-0001", true],
      ["lost pathway invitation", "reader-two-0002", true],
      ["lost pathway invitation", "reader-three-03", true],
    ]);
  });

  test("a publish is searched on the next request, never answered from what was kept", async () => {
    const nothing = await (await viaRoute("wombat", "before-publish-1")).json();
    expect(nothing.results).toEqual([]);
    expect(fromMemory("wombat", "before-publish-2")).toBe(JSON.stringify(nothing));

    const editor = await createLearner();
    const saved = await saveRevision({
      slug: "merge-two-accounts",
      authorId: editor.id,
      publish: true,
      source: `---\ntitle: "Merging two accounts"\nsummary: "How to bring two accounts together, explained with a wombat."\ncategory: account-and-email\ntags: [merge accounts]\ncodes: []\nupdated: 2026-11-25\n---\n\nA wombat explains merging.\n`,
    });
    expect(saved.ok).toBe(true);

    expect(fromMemory("wombat", "after-publish-01")).toBeNull();
    const after = await (await viaRoute("wombat", "after-publish-02")).json();
    expect(after.results.map((r: { slug: string }) => r.slug)).toEqual(["merge-two-accounts"]);
    expect(JSON.parse(fromMemory("wombat", "after-publish-03")!).results[0].slug).toBe("merge-two-accounts");
  });
});

describe("the search page's result links (JavaScript off)", () => {
  const page = remixPages([
    { id: "routes/search", path: "search", module: searchRoute },
    { id: "routes/search_.open", path: "search/open", module: openRoute },
  ]);

  test("opening a result goes through /search/open, which marks the search as helped and sends the reader on with a 303", async () => {
    const html = await (await page(new Request("http://badgedesk.test/search?q=lost+pathway+invitation"), routeContext())).text();
    const link = /<a href="(\/search\/open\?k=[^"]+&amp;to=%2Ffaq%2Fpathways%2Flost-pathway-invitation)"/.exec(html);
    expect(link).not.toBeNull();
    const opened = await page(new Request(`http://badgedesk.test${link![1].replaceAll("&amp;", "&")}`), routeContext());
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe("/faq/pathways/lost-pathway-invitation");

    await flushReadingLog();
    const [search] = await db.select().from(kbSearchLog).orderBy(desc(kbSearchLog.id)).limit(1);
    expect([search.query, search.surface, search.opened]).toEqual(["lost pathway invitation", "page", true]);
  });

  test.each(["https://evil.example/faq/a/b", "//evil.example/faq/pathways/x", "/faq/pathways/../../admin/roles", "/admin/roles", "/faq/no-such-topic/x", ""])(
    "a link to %j goes nowhere (404)",
    async (target) => {
      const response = await page(new Request(`http://badgedesk.test/search/open?${new URLSearchParams({ k: "some-search-key", to: target })}`), routeContext());
      expect(response.status).toBe(404);
      expect(response.headers.get("location")).toBeNull();
    },
  );
});
