// The editor on the real database: drafts, publishing, rollback, conflicting saves, unsafe MDX,
// addresses that move or retire, and who may do any of it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { auditLog, kbArticles, kbFeedback, kbImages, kbVotes } from "#db/schema";
import {
  archiveArticle,
  codesWithoutPublishedArticle,
  compareRevisions,
  dailyActivity,
  flushReadingLog,
  markCommentHandled,
  mostUnhelpfulArticles,
  noteResultOpened,
  unopenedSearches,
  zeroResultSearches,
  exportArticles,
  findArticleForEditing,
  findLiveArticle,
  importArticles,
  listEditorArticles,
  publishedArticlesForCodes,
  rollBackToRevision,
  saveArticle,
  searchArticles,
  uploadImage,
} from "~/modules/kb";
import { loader as imageLoader } from "~/routes/images.$file";
import * as imagesRoute from "~/routes/editor.images";
import * as articleRoute from "~/routes/faq.$category.$slug";
import * as editRoute from "~/routes/editor.articles.$articleId";
import * as listRoute from "~/routes/editor._index";
import * as previewRoute from "~/routes/editor.preview";
import { createLearner } from "../support/factories";
import { forgetKnowledgeBaseCaches, importTestArticles } from "../support/kb";
import { fieldValue, remixPages, textOfId } from "../support/remix-pages";
import { createSessionCookie, getPage } from "./accounts-fixtures";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} as never });
/** The editor's pages and the article page, answered as a browser gets them. */
const site = remixPages([
  { id: "routes/faq.$category.$slug", path: "faq/:category/:slug", module: articleRoute },
  { id: "routes/editor._index", path: "editor", module: listRoute },
  { id: "routes/editor.articles.$articleId", path: "editor/articles/:articleId", module: editRoute },
  { id: "routes/editor.preview", path: "editor/preview", module: previewRoute },
  { id: "routes/editor.images", path: "editor/images", module: imagesRoute },
]);
function post(url: string, cookie: string, fields: [string, string][]): Request {
  return new Request(`http://badgedesk.test${url}`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: "http://badgedesk.test" },
    body: new URLSearchParams(fields).toString(),
  });
}

const FIELDS = { title: "Where did my pathway go?", summary: "Pathways you joined stay in your backpack even when the issuer renames them.", category: "pathways", tags: ["pathway", "renamed"], codes: [] as string[] };
const BODY = "Your pathway is still there.\n\n## Find it again\n\nOpen **My badges** and look under Pathways.\n";

async function newArticle(authorId: string, { publish = true, slug = "where-did-my-pathway-go", body = BODY } = {}) {
  const result = await saveArticle({ articleId: null, slug, fields: FIELDS, body, message: "First version", baseRevisionId: "", publish, authorId });
  if (!result.ok) throw new Error(`save failed: ${JSON.stringify(result)}`);
  return result;
}

beforeEach(() => forgetKnowledgeBaseCaches());

describe("drafts, publishing and rollback", () => {
  test("a draft stays off the site until published; rollback publishes the old text as a new revision", async () => {
    const editor = await createLearner({ name: "Priya Editor", roles: ["editor"] });
    const first = await newArticle(editor.id);
    expect((await findLiveArticle("where-did-my-pathway-go"))?.html).toContain("Your pathway is still there.");
    expect((await searchArticles({ query: "renames", surface: "page" })).results.map((r) => r.slug)).toContain("where-did-my-pathway-go");

    let article = (await findArticleForEditing(first.articleId))!;
    const draft = await saveArticle({ articleId: first.articleId, slug: article.slug, fields: FIELDS, body: BODY.replace("still there", "safe and sound"), message: "Friendlier", baseRevisionId: article.latest.id, publish: false, authorId: editor.id });
    expect(draft).toMatchObject({ ok: true, number: 2, published: false });
    expect((await findLiveArticle("where-did-my-pathway-go"))?.html).toContain("still there");
    expect((await listEditorArticles()).find((a) => a.id === first.articleId)?.status).toBe("draft");

    article = (await findArticleForEditing(first.articleId))!;
    expect(article.latest.body).toContain("safe and sound");
    const published = await saveArticle({ articleId: first.articleId, slug: article.slug, fields: FIELDS, body: article.latest.body, message: "Friendlier", baseRevisionId: article.latest.id, publish: true, authorId: editor.id });
    expect(published).toMatchObject({ ok: true, number: 3, published: true });
    forgetKnowledgeBaseCaches();
    expect((await findLiveArticle("where-did-my-pathway-go"))?.html).toContain("safe and sound");
    expect((await searchArticles({ query: "sound", surface: "page" })).results.map((r) => r.slug)).toContain("where-did-my-pathway-go");

    article = (await findArticleForEditing(first.articleId))!;
    const firstRevision = article.revisions.find((r) => r.number === 1)!;
    const diff = await compareRevisions({ articleId: first.articleId, from: firstRevision.id, to: article.latest.id });
    const words = (kind: string) => diff!.parts.filter((p) => p.kind === kind).map((p) => p.text.trim()).join(" ");
    expect([words("removed"), words("added")]).toEqual(["still there.", "safe and sound."]);

    expect(await rollBackToRevision({ articleId: first.articleId, revisionId: firstRevision.id, authorId: editor.id })).toEqual({ ok: true, number: 4 });
    forgetKnowledgeBaseCaches();
    expect((await findLiveArticle("where-did-my-pathway-go"))?.html).toContain("still there");
    const history = (await findArticleForEditing(first.articleId))!.revisions;
    expect(history.map((r) => [r.number, r.live, r.authorName])).toEqual([
      [4, true, "Priya Editor"],
      [3, false, "Priya Editor"],
      [2, false, "Priya Editor"],
      [1, false, "Priya Editor"],
    ]);
    expect(history[0].message).toBe("Rolled back to revision 1");
    const actions = (await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, first.articleId))).map((r) => r.action);
    expect(actions).toEqual(["kb.revision_published", "kb.revision_published", "kb.revision_rolled_back"]);
  });

  test("unsafe MDX is refused with its line and column, and nothing is stored", async () => {
    const editor = await createLearner({ roles: ["editor"] });
    const result = await saveArticle({ articleId: null, slug: "unsafe", fields: FIELDS, body: "Fine text.\n\n<script>alert(1)</script>\n", message: "", baseRevisionId: "", publish: true, authorId: editor.id });
    expect(result).toMatchObject({ ok: false, reason: "problems", problems: [expect.objectContaining({ line: 3, column: 1, message: expect.stringMatching(/not allowed/) })] });
    const link = await saveArticle({ articleId: null, slug: "unsafe", fields: FIELDS, body: "Click [here](javascript:alert(1)).\n", message: "", baseRevisionId: "", publish: false, authorId: editor.id });
    expect(link).toMatchObject({ ok: false, reason: "problems" });
    expect(await db.select().from(kbArticles).where(eq(kbArticles.slug, "unsafe"))).toEqual([]);
  });
});

describe("two editors on one article", () => {
  test("the second save is refused with the newer revision and the diff; saving again on top of it works", async () => {
    const priya = await createLearner({ name: "Priya", roles: ["editor"] });
    const alex = await createLearner({ name: "Alex", roles: ["admin"] });
    const { articleId } = await newArticle(priya.id);
    const opened = (await findArticleForEditing(articleId))!.latest.id;
    expect(await saveArticle({ articleId, slug: "where-did-my-pathway-go", fields: FIELDS, body: BODY + "\nAlex's line.\n", message: "", baseRevisionId: opened, publish: true, authorId: alex.id })).toMatchObject({ ok: true });
    const second = await saveArticle({ articleId, slug: "where-did-my-pathway-go", fields: FIELDS, body: BODY + "\nPriya's line.\n", message: "", baseRevisionId: opened, publish: true, authorId: priya.id });
    expect(second).toMatchObject({ ok: false, reason: "conflict", latest: { number: 2, authorName: "Alex" } });
    if (second.ok || second.reason !== "conflict") throw new Error("expected a conflict");
    expect(second.diff.filter((p) => p.kind !== "same").map((p) => [p.kind, p.text.trim()])).toEqual([
      ["removed", "Alex's"],
      ["added", "Priya's"],
    ]);
    expect(await saveArticle({ articleId, slug: "where-did-my-pathway-go", fields: FIELDS, body: BODY + "\nPriya's line.\n", message: "", baseRevisionId: second.latest.id, publish: true, authorId: priya.id })).toMatchObject({ ok: true, number: 3 });
  });
});

describe("addresses", () => {
  test("a slug change answers the old address with a 301; an archived article redirects to its replacement or answers 410", async () => {
    await importTestArticles();
    const editor = await createLearner({ roles: ["editor"] });
    const { articleId } = await newArticle(editor.id);
    const latest = (await findArticleForEditing(articleId))!.latest.id;
    expect(await saveArticle({ articleId, slug: "pathway-renamed", fields: FIELDS, body: BODY, message: "", baseRevisionId: latest, publish: true, authorId: editor.id })).toMatchObject({ ok: true });
    forgetKnowledgeBaseCaches();
    const moved = await site(new Request("http://badgedesk.test/faq/pathways/where-did-my-pathway-go"));
    expect([moved.status, moved.headers.get("Location")]).toEqual([301, "/faq/pathways/pathway-renamed"]);

    const [replacement] = await db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, "lost-pathway-invitation"));
    expect(await archiveArticle({ articleId, replacementId: replacement.id, authorId: editor.id })).toEqual({ ok: true });
    forgetKnowledgeBaseCaches();
    const redirected = await site(new Request("http://badgedesk.test/faq/pathways/pathway-renamed"));
    expect([redirected.status, redirected.headers.get("Location")]).toEqual([301, "/faq/pathways/lost-pathway-invitation"]);
    expect((await searchArticles({ query: "renames", surface: "page" })).results.map((r) => r.slug)).not.toContain("pathway-renamed");

    const other = await newArticle(editor.id, { slug: "gone-for-good" });
    await archiveArticle({ articleId: other.articleId, replacementId: null, authorId: editor.id });
    forgetKnowledgeBaseCaches();
    const gone = await site(new Request("http://badgedesk.test/faq/pathways/gone-for-good"));
    expect(gone.status).toBe(410);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.targetId, other.articleId), eq(auditLog.action, "kb.article_archived")))).toHaveLength(1);
  });
});

describe("who may edit", () => {
  test("learners and agents get 404 on editor pages, forged posts 403; anonymous visitors are sent to sign in; an editor who opens the upload address gets the articles", async () => {
    const editor = await createLearner({ roles: ["editor"] });
    const { articleId } = await newArticle(editor.id);
    for (const roles of [[], ["agent"]] as const) {
      const cookie = await createSessionCookie((await createLearner({ roles: [...roles] })).id);
      expect((await site(getPage("/editor", cookie))).status).toBe(404);
      expect((await site(getPage(`/editor/articles/${articleId}`, cookie))).status).toBe(404);
      expect((await site(getPage("/editor/images", cookie))).status).toBe(404);
      const forged = post(`/editor/articles/${articleId}`, cookie, [["intent", "archive"]]);
      expect((await site(forged)).status).toBe(403);
      expect((await site(post("/editor/preview", cookie, [["body", "Hi"]]))).status).toBe(403);
    }
    // The upload's address is a form's target: its editor is sent to the list of articles.
    const uploads = await site(getPage("/editor/images", await createSessionCookie(editor.id)));
    expect([uploads.status, uploads.headers.get("Location")]).toEqual([302, "/editor"]);
    const anonymous = await site(new Request("http://badgedesk.test/editor"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    expect((await findArticleForEditing(articleId))?.archivedAt).toBeNull();
  });

  test("an editor publishes through the page: a problem comes back with the typed text, a good post redirects", async () => {
    const editor = await createLearner({ roles: ["editor"] });
    const cookie = await createSessionCookie(editor.id);
    const fields: [string, string][] = [
      ["title", FIELDS.title],
      ["summary", FIELDS.summary],
      ["category", "pathways"],
      ["slug", "where-did-my-pathway-go"],
      ["tags", "pathway, renamed"],
      ["codes", "pathway_invitation_pending"],
      ["codes", "not_a_code"],
      ["baseRevisionId", ""],
    ];
    const bad = await site(post("/editor/articles/new", cookie, [...fields, ["body", "Hello {1+1}"], ["intent", "publish"]]));
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(fieldValue(html, "body")).toBe("Hello {1+1}");
    const ticked = [...html.matchAll(/<input[^>]*name="codes"[^>]*>/g)].filter((m) => /\bchecked\b/.test(m[0])).map((m) => m[0].match(/value="([^"]*)"/)?.[1]);
    expect(ticked).toEqual(["pathway_invitation_pending"]);
    expect(textOfId(html, "body-problems")).toMatch(/^Line 1\b.*expressions/);
    const good = await site(post("/editor/articles/new", cookie, [...fields, ["body", BODY], ["intent", "publish"]]));
    expect(good.status).toBe(302);
    forgetKnowledgeBaseCaches();
    expect((await findLiveArticle("where-did-my-pathway-go"))?.codes).toEqual(["pathway_invitation_pending"]);
  });
});

describe("content:export", () => {
  test("import then export changes no file; a published edit is written back and imports as no change", async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "kb-export-"));
    fs.cpSync(path.resolve("content/faq"), directory, { recursive: true });
    const before = snapshot(directory);
    await importTestArticles(directory);
    expect(await exportArticles({ directory })).toMatchObject({ written: [], removed: [] });
    expect(snapshot(directory)).toEqual(before);

    const editor = await createLearner({ roles: ["editor"] });
    const [article] = await db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, "badge-shows-expired"));
    const opened = (await findArticleForEditing(article.id))!;
    const body = opened.latest.body.replace("Some badges", "Many badges");
    expect(await saveArticle({ articleId: article.id, slug: opened.slug, fields: opened.latest.fields, body, message: "", baseRevisionId: opened.latest.id, publish: true, authorId: editor.id })).toMatchObject({ ok: true });
    const exported = await exportArticles({ directory });
    expect(exported.written).toEqual(["backpack-and-badges/badge-shows-expired.mdx"]);
    expect(fs.readFileSync(path.join(directory, "backpack-and-badges/badge-shows-expired.mdx"), "utf8")).toContain("Many badges");
    // The file now holds what is live: importing it is no change, and exporting again writes nothing.
    expect((await importArticles({ directory })).imported).toEqual([]);
    expect((await exportArticles({ directory })).written).toEqual([]);
  });
});

describe("images", () => {
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

  test("a PNG is stored by content hash, audited and served with a long cache; other bytes are refused whatever their name", async () => {
    const editor = await createLearner({ roles: ["editor"] });
    const uploaded = await uploadImage({ bytes: png, alt: "A single pixel", uploadedBy: editor.id });
    expect(uploaded).toMatchObject({ ok: true, src: expect.stringMatching(/^\/images\/[0-9a-f]{64}\.png$/), tag: expect.stringContaining('alt="A single pixel"') });
    if (!uploaded.ok) throw new Error("upload failed");
    const served = await imageLoader(args(new Request(`http://badgedesk.test${uploaded.src}`), { file: uploaded.src.slice("/images/".length) }));
    expect([served.status, served.headers.get("Content-Type"), served.headers.get("Cache-Control")]).toEqual([200, "image/png", "public, max-age=31536000, immutable"]);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "kb.image_uploaded"))).toHaveLength(1);

    const html = Buffer.from("<html><script>alert(1)</script></html>");
    expect(await uploadImage({ bytes: html, alt: "Not really a picture", uploadedBy: editor.id })).toMatchObject({ ok: false, field: "image", message: expect.stringMatching(/not a PNG, JPEG or WebP/) });
    const huge = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]);
    expect(await uploadImage({ bytes: huge, alt: "Too big", uploadedBy: editor.id })).toMatchObject({ ok: false, message: expect.stringMatching(/2 MB/) });
    expect(await db.select().from(kbImages)).toHaveLength(1);
    // The uploaded image goes into an article with the allowed component.
    const saved = await newArticle(editor.id, { body: `${BODY}\n${uploaded.tag}\n` });
    forgetKnowledgeBaseCaches();
    expect((await findLiveArticle("where-did-my-pathway-go"))?.html).toContain(`<img src="${uploaded.src}" alt="A single pixel"`);
    expect(saved.published).toBe(true);
  });

  test("the upload route refuses a missing description beside its field, and non-editors with 403", async () => {
    const editor = await createLearner({ roles: ["editor"] });
    const upload = (cookie: string, alt: string) => {
      const form = new FormData();
      form.set("js", "1");
      form.set("alt", alt);
      form.set("image", new File([png], "shot.png", { type: "image/png" }));
      return new Request("http://badgedesk.test/editor/images", { method: "POST", headers: { Cookie: cookie, Origin: "http://badgedesk.test" }, body: form });
    };
    const refused = await site(upload(await createSessionCookie(editor.id), ""));
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.alt).toMatch(/what the image shows/);
    const learner = await createLearner();
    expect((await site(upload(await createSessionCookie(learner.id), "A pixel"))).status).toBe(403);
    expect(await db.select().from(kbImages)).toEqual([]);
  });
});

describe("articles for diagnosis codes", () => {
  test("the links for a finding follow what is published, and a code no article answers is reported", async () => {
    const editor = await createLearner({ roles: ["editor"] });
    expect(await publishedArticlesForCodes(["pathway_invitation_pending"])).toEqual([]);
    expect(await codesWithoutPublishedArticle()).toContain("pathway_invitation_pending");
    const { articleId } = await saveArticle({ articleId: null, slug: "where-did-my-pathway-go", fields: { ...FIELDS, codes: ["pathway_invitation_pending"] }, body: BODY, message: "", baseRevisionId: "", publish: true, authorId: editor.id }).then((r) => {
      if (!r.ok) throw new Error("save failed");
      return r;
    });
    forgetKnowledgeBaseCaches();
    expect(await publishedArticlesForCodes(["pathway_invitation_pending"])).toEqual([
      { path: "/faq/pathways/where-did-my-pathway-go", title: FIELDS.title, summary: FIELDS.summary, category: "pathways", codes: ["pathway_invitation_pending"] },
    ]);
    expect(await codesWithoutPublishedArticle()).not.toContain("pathway_invitation_pending");
    const latest = (await findArticleForEditing(articleId))!.latest.id;
    await saveArticle({ articleId, slug: "where-did-my-pathway-go", fields: FIELDS, body: BODY, message: "", baseRevisionId: latest, publish: true, authorId: editor.id });
    forgetKnowledgeBaseCaches();
    expect(await publishedArticlesForCodes(["pathway_invitation_pending"])).toEqual([]);
  });
});

function snapshot(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const category of fs.readdirSync(directory)) for (const name of fs.readdirSync(path.join(directory, category))) files[`${category}/${name}`] = fs.readFileSync(path.join(directory, category, name), "utf8");
  return files;
}

describe("insights", () => {
  test("zero-result and unopened searches by period, the most-No articles with comments, and marking one handled", async () => {
    await importTestArticles();
    const editor = await createLearner({ roles: ["editor"] });
    await searchArticles({ query: "zzqqxx", surface: "page", clientKey: "a" });
    await searchArticles({ query: "zzqqxx", surface: "page", clientKey: "b" });
    await searchArticles({ query: "expired badge", surface: "api", searchKey: "unopened-0001" });
    await searchArticles({ query: "lost pathway invitation", surface: "api", searchKey: "opened-00001" });
    noteResultOpened("opened-00001");
    await flushReadingLog();
    expect((await zeroResultSearches(7)).map((r) => [r.query, r.searches])).toEqual([["zzqqxx", 2]]);
    expect((await unopenedSearches(7)).map((r) => r.query)).toEqual(["expired badge"]);
    await db.execute(sql`update kb_search_log set searched_at = now() - interval '40 days' where query = 'zzqqxx'`);
    expect(await zeroResultSearches(30)).toEqual([]);
    expect((await zeroResultSearches(90)).map((r) => r.searches)).toEqual([2]);

    const [article] = await db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, "badge-shows-expired"));
    await db.insert(kbVotes).values([
      { articleId: article.id, voterKey: "visitor:1", helpful: false },
      { articleId: article.id, voterKey: "visitor:2", helpful: false },
      { articleId: article.id, voterKey: "visitor:3", helpful: true },
    ]);
    const [comment] = await db.insert(kbFeedback).values({ articleId: article.id, voterKey: "visitor:1", comment: "<b>It doesn't say how to renew</b>" }).returning();
    const unhelpful = await mostUnhelpfulArticles(30);
    expect(unhelpful[0]).toMatchObject({ articleId: article.id, no: 2, yes: 1, comments: [expect.objectContaining({ comment: "<b>It doesn't say how to renew</b>" })] });
    expect(await markCommentHandled({ feedbackId: comment.id, editorId: editor.id })).toBe(true);
    expect((await mostUnhelpfulArticles(30))[0].comments).toEqual([]);
    const days = await dailyActivity(7);
    expect(days).toHaveLength(7);
    expect(days[6]).toMatchObject({ searches: 2, no: 2, yes: 1 });
  });
});
