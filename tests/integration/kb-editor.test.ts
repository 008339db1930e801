// The editor on the real database: drafts, publishing, rollback, conflicting saves, unsafe MDX,
// addresses that move or retire, and who may do any of it.
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { auditLog, kbArticles } from "#db/schema";
import {
  archiveArticle,
  compareRevisions,
  findArticleForEditing,
  findLiveArticle,
  listEditorArticles,
  rollBackToRevision,
  saveArticle,
  searchArticles,
} from "~/modules/kb";
import { loader as articlePage } from "~/routes/faq.$category.$slug";
import { action as editAction, loader as editLoader } from "~/routes/editor.articles.$articleId";
import { loader as listLoader } from "~/routes/editor._index";
import { action as previewAction } from "~/routes/editor.preview";
import { createLearner } from "../support/factories";
import { forgetKnowledgeBaseCaches, importTestArticles } from "../support/kb";
import { createSessionCookie, getPage } from "./accounts-fixtures";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} as never });
async function outcome(promise: Promise<unknown>): Promise<Response> {
  try {
    const value = await promise;
    if (value instanceof Response) return value;
    return Response.json(value && typeof value === "object" && "data" in value ? (value as { data: unknown }).data : value, { status: (value as { init?: { status?: number } })?.init?.status ?? 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
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
    const moved = await outcome(articlePage(args(new Request("http://badgedesk.test/faq/pathways/where-did-my-pathway-go"), { category: "pathways", slug: "where-did-my-pathway-go" })));
    expect([moved.status, moved.headers.get("Location")]).toEqual([301, "/faq/pathways/pathway-renamed"]);

    const [replacement] = await db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, "lost-pathway-invitation"));
    expect(await archiveArticle({ articleId, replacementId: replacement.id, authorId: editor.id })).toEqual({ ok: true });
    forgetKnowledgeBaseCaches();
    const redirected = await outcome(articlePage(args(new Request("http://badgedesk.test/faq/pathways/pathway-renamed"), { category: "pathways", slug: "pathway-renamed" })));
    expect([redirected.status, redirected.headers.get("Location")]).toEqual([301, "/faq/pathways/lost-pathway-invitation"]);
    expect((await searchArticles({ query: "renames", surface: "page" })).results.map((r) => r.slug)).not.toContain("pathway-renamed");

    const other = await newArticle(editor.id, { slug: "gone-for-good" });
    await archiveArticle({ articleId: other.articleId, replacementId: null, authorId: editor.id });
    forgetKnowledgeBaseCaches();
    const gone = await outcome(articlePage(args(new Request("http://badgedesk.test/faq/pathways/gone-for-good"), { category: "pathways", slug: "gone-for-good" })));
    expect(gone.status).toBe(410);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.targetId, other.articleId), eq(auditLog.action, "kb.article_archived")))).toHaveLength(1);
  });
});

describe("who may edit", () => {
  test("learners and agents get 404 on editor pages, forged posts 403; anonymous visitors are sent to sign in", async () => {
    const editor = await createLearner({ roles: ["editor"] });
    const { articleId } = await newArticle(editor.id);
    for (const roles of [[], ["agent"]] as const) {
      const cookie = await createSessionCookie((await createLearner({ roles: [...roles] })).id);
      expect((await outcome(listLoader(args(getPage("/editor", cookie))))).status).toBe(404);
      expect((await outcome(editLoader(args(getPage(`/editor/articles/${articleId}`, cookie), { articleId })))).status).toBe(404);
      const forged = post(`/editor/articles/${articleId}`, cookie, [["intent", "archive"]]);
      expect((await outcome(editAction(args(forged, { articleId })))).status).toBe(403);
      expect((await outcome(previewAction(args(post("/editor/preview", cookie, [["body", "Hi"]]))))).status).toBe(403);
    }
    const anonymous = await outcome(listLoader(args(new Request("http://badgedesk.test/editor"))));
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
    const bad = await outcome(editAction(args(post("/editor/articles/new", cookie, [...fields, ["body", "Hello {1+1}"], ["intent", "publish"]]), { articleId: "new" })));
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.values).toMatchObject({ body: "Hello {1+1}", codes: ["pathway_invitation_pending"] });
    expect(body.problems[0]).toMatchObject({ line: 1, message: expect.stringMatching(/expressions/) });
    const good = await outcome(editAction(args(post("/editor/articles/new", cookie, [...fields, ["body", BODY], ["intent", "publish"]]), { articleId: "new" })));
    expect(good.status).toBe(302);
    forgetKnowledgeBaseCaches();
    expect((await findLiveArticle("where-did-my-pathway-go"))?.codes).toEqual(["pathway_invitation_pending"]);
  });
});
