// Search as a learner uses it: the five questions of the seed page typed the way people type them,
// typos, search as you type, characters that mean something to lunr, the JSON API's contract, the
// log of every search, and the stored index following a publish.
import { desc, sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { db, rows } from "#db/client.server";
import { kbSearchIndexes, kbSearchLog } from "#db/schema";
import { flushReadingLog, noteResultOpened, saveRevision, searchArticles } from "~/modules/kb";
import { loader as apiSearch } from "~/routes/api.search";
import * as searchRoute from "~/routes/search";
import { createLearner } from "../support/factories";
import { forgetKnowledgeBaseCaches, importTestArticles, routeContext } from "../support/kb";
import { ARTICLE_FILE_COUNT } from "../support/content";
import { pageText, remixPages } from "../support/remix-pages";

beforeEach(async () => {
  await importTestArticles();
});

const firstResult = async (query: string) => (await searchArticles({ query, surface: "api" })).results[0]?.slug;

describe("the five questions of the seed page find their article first", () => {
  test.each([
    ["i got a badge but lost the email", "lost-award-email"],
    ["I have been awarded a badge, but lost the email. What should I do now?", "lost-award-email"],
    ["my email address changed", "email-address-changed"],
    ["new email address what do i do", "email-address-changed"],
    ["badge doesnt show up in my backpack", "badge-not-showing-in-backpack"],
    ["awarded a badge but its not in my badgr backpack", "badge-not-showing-in-backpack"],
    ["my badge disappeared from backpack", "badge-vanished-from-backpack"],
    ["badge suddenly vanished", "badge-vanished-from-backpack"],
    ["cant find pathway invitation email", "lost-pathway-invitation"],
    ["I have not accepted my pathway invitation and can not find the email anymore", "lost-pathway-invitation"],
  ])("%s", async (query, slug) => {
    expect(await firstResult(query)).toBe(slug);
  });
});

describe("sign-in trouble finds the sign-in articles first", () => {
  test.each(["I can't log in", "i cant log in", "I can't sign in", "forgot my password", "can't log in to my account"])("%s", async (query) => {
    const slugs = (await searchArticles({ query, surface: "api" })).results.map((r) => r.slug);
    expect(slugs[0]).toBe("cant-sign-in-forgot-password");
    // "log in" is a phrase, not "log" and the start of "invitation".
    expect(slugs.slice(0, 3).some((slug) => slug.includes("pathway"))).toBe(false);
  });
});

describe("the results page", () => {
  const site = remixPages([{ id: "routes/search", path: "search", module: searchRoute }]);
  /** What the results page shows: the count, "Page x of y", and each result's article and topic. */
  const resultsPage = async (query: string) => {
    const response = await site(new Request(`http://badgedesk.test/search?${query}`), routeContext());
    expect(response.status).toBe(200);
    const html = await response.text();
    const text = pageText(html);
    const total = Number(text.match(/([\d,]+) articles? found/)?.[1].replace(/,/g, "") ?? 0);
    const [page, pageCount] = (text.match(/Page (\d+) of (\d+)/) ?? [null, "1", total > 0 ? "1" : "0"]).slice(1).map(Number);
    const start = html.indexOf('class="kb-results"');
    const items = start < 0 ? [] : html.slice(start, html.indexOf("</ol>", start)).split("<li").slice(1);
    const results = items.map((item) => ({
      // The title links through /search/open (which logs the search as helpful), naming the article's address.
      slug: decodeURIComponent((item.match(/<a[^>]*href="([^"]+)"/)?.[1] ?? "").replace(/&amp;/g, "&")).match(/\/faq\/[^/]+\/([^?#&]+)/)?.[1] ?? "",
      category: item.includes("kb-results__category") ? { name: pageText(item.match(/kb-results__category"><a[^>]*>([^<]*)</)?.[1] ?? "").trim() } : null,
    }));
    return { total, page, pageCount, results };
  };

  test("counts every match and pages past 20, each result with its topic", async () => {
    const first = await resultsPage("q=badge");
    expect(first.total).toBeGreaterThan(20);
    expect(first.results).toHaveLength(20);
    expect(first.pageCount).toBe(Math.ceil(first.total / 20));
    const second = await resultsPage("q=badge&page=2");
    expect(second.results).toHaveLength(Math.min(20, first.total - 20));
    expect(second.results.filter((r) => first.results.some((f) => f.slug === r.slug))).toEqual([]);
    expect(first.results.every((r) => r.category !== null)).toBe(true);
    expect((await resultsPage("q=lost+pathway+invitation")).results[0].category?.name).toBe("Pathways");
  });

  test("a page number that makes no sense shows the first page", async () => {
    expect((await resultsPage("q=badge&page=banana")).page).toBe(1);
    expect((await resultsPage("q=badge&page=-3")).page).toBe(1);
  });
});

describe("typos and partial words", () => {
  test.each([
    ["pathway invitaton", "lost-pathway-invitation"],
    ["verfication email never arrived", "verification-email-not-received"],
    ["badge vanshed", "badge-vanished-from-backpack"],
    ["awarded badge not in backpak", "badge-not-showing-in-backpack"],
    ["delete my acount", "delete-account"],
    ["linkedn", "share-badge-on-linkedin"],
  ])("a misspelt word still finds its article: %s", async (query, slug) => {
    const response = await searchArticles({ query, surface: "api" });
    expect(response.results.map((r) => r.slug).slice(0, 3)).toContain(slug);
    expect(response.results[0].slug).toBe(slug);
    expect(response.corrections.length).toBeGreaterThan(0);
  });

  test("a word still being typed matches the words it starts (search as you type)", async () => {
    expect(await firstResult("verificat")).toBe("verification-email-not-received");
    expect(await firstResult("merg")).toBe("merge-two-accounts");
    // Once the word is finished (a space typed), it is matched as a whole word only.
    expect(await firstResult("employer veri")).toBe("how-employers-verify-a-badge");
  });

  test("snippets mark the matched words, as ranges of plain text", async () => {
    const { results } = await searchArticles({ query: "revoked by mistake", surface: "api" });
    const result = results.find((r) => r.slug === "undo-a-revocation")!;
    expect(result.highlights.length).toBeGreaterThan(0);
    const marked = result.highlights.map(([start, end]) => result.snippet.slice(start, end).toLowerCase());
    for (const word of marked) expect(["revoked", "revoke", "revocation", "mistake", "mistakes", "revokes", "revoking"]).toContain(word);
  });
});

describe("whatever a user types is safe", () => {
  test.each([
    ["field:term^boost", "title:badge^10"],
    ["presence operators", "+badge -backpack"],
    ["edit distance", "badge~2"],
    ["wildcards", "back*"],
    ["a lone wildcard", "*"],
    ["lone operators", "~ ^ : + -"],
    ["an empty field", "field:"],
    ["an unclosed quote", '"lost email'],
    ["markup", "<script>alert(1)</script>"],
    ["a backslash", "\\"],
    ["SQL", "' or 1=1 --"],
    ["emoji", "😀 badge"],
    ["a NUL character", "\u0000badge"],
    ["5,000 characters", "badge ".repeat(1000)],
  ])("%s answers normally", async (_label, query) => {
      const response = await apiSearch({ request: new Request(`http://badgedesk.test/api/search?q=${encodeURIComponent(query)}`), params: {}, context: routeContext() });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(Array.isArray(body.results)).toBe(true);
  });

  test("query syntax is read as words, not as lunr operators", async () => {
    // "-backpack" does not exclude articles about the backpack; "title:" does not restrict to titles.
    const slugs = (await searchArticles({ query: "badge -backpack", surface: "api" })).results.map((r) => r.slug);
    expect(slugs).toContain("badge-not-showing-in-backpack");
    expect(await firstResult("title:merging")).toBe("merge-two-accounts");
  });
});

describe("GET /api/search", () => {
  test("answers the agreed JSON shape, best first, limited", async () => {
    const response = await apiSearch({ request: new Request("http://badgedesk.test/api/search?q=lost+pathway+invitation&limit=3"), params: {}, context: routeContext() });
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body.query).toBe("lost pathway invitation");
    expect(body.results).toHaveLength(3);
    expect(Object.keys(body.results[0]).sort()).toEqual(["highlights", "score", "slug", "snippet", "summary", "title", "url"]);
    expect(body.results[0]).toMatchObject({ slug: "lost-pathway-invitation", url: "/faq/pathways/lost-pathway-invitation" });
    expect(body.results[0].score).toBeGreaterThanOrEqual(body.results[1].score);
  });

  test("an empty or silly limit falls back to the default; an empty query finds nothing", async () => {
    const empty = await (await apiSearch({ request: new Request("http://badgedesk.test/api/search?q=%20%20"), params: {}, context: routeContext() })).json();
    expect(empty).toEqual({ query: "  ", results: [] });
    const silly = await (await apiSearch({ request: new Request("http://badgedesk.test/api/search?q=badge&limit=abc"), params: {}, context: routeContext() })).json();
    expect(silly.results).toHaveLength(10);
  });
});

describe("every search is logged for the editors", () => {
  test("normalised query, result count and time; no address of the searcher", async () => {
    await searchArticles({ query: "  Lost   PATHWAY invitation ", surface: "api" });
    await searchRoute.loader({ request: new Request("http://badgedesk.test/search?q=zzqqxx"), params: {}, context: routeContext() });
    await flushReadingLog();
    const log = await db.select().from(kbSearchLog).orderBy(desc(kbSearchLog.id));
    expect(log.map((l) => [l.query, l.resultCount > 0, l.surface])).toEqual([
      ["zzqqxx", false, "page"],
      ["lost pathway invitation", true, "api"],
    ]);
    expect(log[0].durationMs).toBeGreaterThanOrEqual(0);
    const columns = rows<{ column_name: string }>(await db.execute(sql`select column_name from information_schema.columns where table_name = 'kb_search_log'`)).map((c) => c.column_name);
    expect(columns.some((c) => /ip|address|account/.test(c))).toBe(false);
  });
});

describe("the log records searches, not keystrokes", () => {
  test("a typing burst is one search, its last query; an opened result marks it; another reader's burst is another search", async () => {
    const key = "burst-key-0001";
    for (const typed of ["l", "lo", "los", "lost", "lost p", "lost pa", "lost pathway"]) {
      await apiSearch({ request: new Request(`http://badgedesk.test/api/search?q=${encodeURIComponent(typed)}&k=${key}`), params: {}, context: routeContext() });
    }
    for (const typed of ["exp", "expired"]) {
      await apiSearch({ request: new Request(`http://badgedesk.test/api/search?q=${typed}&k=other-reader-01`), params: {}, context: routeContext() });
    }
    noteResultOpened(key);
    // Nothing is written on the request path.
    expect(await db.select().from(kbSearchLog)).toEqual([]);
    await flushReadingLog();
    const log = await db.select().from(kbSearchLog).orderBy(kbSearchLog.id);
    expect(log.map((l) => [l.query, l.opened])).toEqual([
      ["lost pathway", true],
      ["expired", false],
    ]);
    // The same reader then submits the search: it replaces the burst it ended, it doesn't add one.
    for (const typed of ["badge", "badge miss"]) {
      await apiSearch({ request: new Request(`http://badgedesk.test/api/search?q=${encodeURIComponent(typed)}&k=third-search-1`), params: {}, context: routeContext() });
    }
    await searchRoute.loader({ request: new Request("http://badgedesk.test/search?q=badge+missing&k=third-search-1"), params: {}, context: routeContext() });
    await flushReadingLog();
    noteResultOpened("third-search-1");
    await flushReadingLog();
    const latest = await db.select().from(kbSearchLog).orderBy(desc(kbSearchLog.id)).limit(2);
    expect(latest.map((l) => [l.query, l.surface, l.opened])).toEqual([
      ["badge missing", "page", true],
      ["expired", "api", false],
    ]);
  });
});

describe("the index lives in the database and follows the content version", () => {
  test("a published revision is searchable at once, and another instance loads the stored index", async () => {
    expect((await searchArticles({ query: "quokka", surface: "api" })).results).toHaveLength(0);
    const editor = await createLearner({ roles: ["editor"] });
    const saved = await saveRevision({
      slug: "merge-two-accounts",
      authorId: editor.id,
      publish: true,
      source: `---\ntitle: "Merging two accounts"\nsummary: "How to bring two accounts together, explained with a quokka."\ncategory: account-and-email\ntags: [merge accounts]\ncodes: []\nupdated: 2026-11-25\n---\n\nA quokka explains merging.\n`,
    });
    expect(saved.ok).toBe(true);
    expect(await firstResult("quokka")).toBe("merge-two-accounts");

    const stored = await db.select({ version: kbSearchIndexes.contentVersion, count: kbSearchIndexes.documentCount }).from(kbSearchIndexes).orderBy(desc(kbSearchIndexes.contentVersion));
    expect(stored[0].count).toBe(ARTICLE_FILE_COUNT);
    // A fresh instance (nothing in memory) reads the same index from the database.
    forgetKnowledgeBaseCaches();
    expect(await firstResult("quokka")).toBe("merge-two-accounts");
  });
});
