// Articles as revisions: the start-up import, the safe-MDX rules, and the article page.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { db, rows } from "#db/client.server";
import { kbArticles, kbRevisions } from "#db/schema";
import { findLiveArticle, importArticles, saveRevision } from "~/modules/kb";
import * as articleRoute from "~/routes/faq.$category.$slug";
import { createLearner } from "../support/factories";
import { forgetKnowledgeBaseCaches, importTestArticles, routeContext } from "../support/kb";
import { ARTICLE_FILE_COUNT } from "../support/content";
import { remixPages, textOfId } from "../support/remix-pages";

const revisionCount = async () => Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from kb_revisions`))[0].n);

function copyOfContent(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "kb-content-"));
  fs.cpSync(path.resolve("content/faq"), directory, { recursive: true });
  return directory;
}

const FRONT = `---\ntitle: "A test article about badges"\nsummary: "An article written by a test to see what the rules allow."\ncategory: pathways\ntags: [test]\ncodes: []\nupdated: 2026-11-25\n---\n\n`;

beforeEach(() => forgetKnowledgeBaseCaches());

describe("importing content/faq", () => {
  test("every article becomes a published revision, and importing again changes nothing", async () => {
    const first = await importTestArticles();
    expect(first.imported).toHaveLength(ARTICLE_FILE_COUNT);
    expect(await revisionCount()).toBe(ARTICLE_FILE_COUNT);
    const again = await importArticles();
    expect(again).toMatchObject({ imported: [], unchanged: ARTICLE_FILE_COUNT, rejected: [] });
    expect(again.contentVersion).toBe(first.contentVersion);
    expect(await revisionCount()).toBe(ARTICLE_FILE_COUNT);
  });

  test("a changed file adds a revision that goes live; changing it back adds another", async () => {
    const directory = copyOfContent();
    await importTestArticles(directory);
    const file = path.join(directory, "pathways/lost-pathway-invitation.mdx");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace('title: "', 'title: "Edited: '));
    expect((await importArticles({ directory })).imported).toEqual(["lost-pathway-invitation"]);
    expect((await findLiveArticle("lost-pathway-invitation"))?.title).toMatch(/^Edited: /);
    fs.writeFileSync(file, original);
    expect((await importArticles({ directory })).imported).toEqual(["lost-pathway-invitation"]);
    expect((await findLiveArticle("lost-pathway-invitation"))?.title).not.toMatch(/^Edited: /);
    const [article] = await db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, "lost-pathway-invitation"));
    expect(await db.select().from(kbRevisions).where(eq(kbRevisions.articleId, article.id))).toHaveLength(3);
  });

  test("a revision the editor published stays live while the file is unchanged", async () => {
    await importTestArticles();
    const editor = await createLearner({ roles: ["editor"] });
    const source = fs.readFileSync("content/faq/pathways/lost-pathway-invitation.mdx", "utf8").replace("## ", "## Newly added section\n\nMore help.\n\n## ");
    expect((await saveRevision({ slug: "lost-pathway-invitation", source, authorId: editor.id, publish: true })).ok).toBe(true);
    await importArticles();
    const live = await findLiveArticle("lost-pathway-invitation");
    expect(live?.headings.map((h) => h.text)).toContain("Newly added section");
  });

  test("a broken file is reported with its line and skipped; the others are imported", async () => {
    const directory = copyOfContent();
    const file = path.join(directory, "pathways/lost-pathway-invitation.mdx");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8") + "\n\n<iframe src=\"https://evil.example\"></iframe>\n");
    const report = await importArticles({ directory });
    expect(report.imported).toHaveLength(ARTICLE_FILE_COUNT - 1);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0].problems[0]).toMatch(/lost-pathway-invitation\.mdx:\d+:1: raw <iframe> is not allowed/);
    expect(await findLiveArticle("lost-pathway-invitation")).toBeNull();
  });
});

describe("article MDX is untrusted code: only the allow-list gets through", () => {
  test.each([
    ["an import", 'import Evil from "./evil"\n\nHello.', 10, /import and export are not allowed/],
    ["an export", "export const secret = process.env.SESSION_SECRET\n\nHello.", 10, /import and export are not allowed/],
    ["a JavaScript expression", "Your key is {process.env.SESSION_SECRET}.", 10, /JavaScript expressions in \{ \} are not allowed/],
    ["a raw script", "Hello.\n\n<script>fetch('/steal')</script>", 12, /raw <script> is not allowed/],
    ["an iframe", '<iframe src="https://evil.example" />', 10, /raw <iframe> is not allowed/],
    ["an event handler", '<Callout type="info" onMouseOver="alert(1)">Hi</Callout>', 10, /event-handler attribute onMouseOver is not allowed/],
    ["a javascript: link", "[Click me](javascript:alert(document.cookie))", 10, /javascript: links are not allowed/],
    ["a disguised javascript: link", "[Click me](JaVa&#x09;ScRiPt:alert(1))", 10, /javascript: links are not allowed/],
    ["a javascript: reference definition", "[Click me][x]\n\n[x]: javascript:alert(1)", 12, /javascript: links are not allowed/],
    ["a data: link", "[Open](data:text/html;base64,PHNjcmlwdD4=)", 10, /data: links are not allowed/],
    ["an expression as a prop", '<Step title={alert(1)}>x</Step>', 10, /must be literal text/],
    ["spread props", "<Callout {...props}>x</Callout>", 10, /cannot take \{…spread\} props/],
    ["an unknown component", "<Tabs>x</Tabs>", 10, /<Tabs> is not an allowed component/],
    ["raw HTML", '<div class="x">x</div>', 10, /raw HTML <div> is not allowed/],
    ["an image from elsewhere", "![logo](https://evil.example/track.png)", 10, /must be a path on this site/],
  ])("%s is refused with its line, and nothing is stored", async (_label, body, line, message) => {
    const editor = await createLearner({ roles: ["editor"] });
    const result = await saveRevision({ slug: "test-article", source: FRONT + body, authorId: editor.id, publish: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.find((p) => message.test(p.message))?.line).toBe(line);
    expect(await db.select().from(kbArticles).where(eq(kbArticles.slug, "test-article"))).toHaveLength(0);
  });

  test("allowed components with literal props compile to plain HTML", async () => {
    const editor = await createLearner({ roles: ["editor"] });
    const source = `${FRONT}## First\n\n<Callout type="warning">Careful **now**.</Callout>\n\n<Steps>\n\n<Step title="Open the menu">Press <Kbd>Tab</Kbd>.</Step>\n\n</Steps>\n\n## First\n\n[Help](/faq) and [site](https://example.org).\n`;
    const saved = await saveRevision({ slug: "test-article", source, authorId: editor.id, publish: true });
    expect(saved.ok).toBe(true);
    const live = await findLiveArticle("test-article");
    expect(live?.html).toContain('<div class="callout callout--warning" role="note">');
    expect(live?.html).toContain("<kbd>Tab</kbd>");
    expect(live?.html).toContain('<h2 id="first-2"><a href="#first-2" class="heading-anchor">First</a></h2>');
    expect(live?.html).toContain('href="https://example.org" rel="noopener noreferrer"');
    expect(live?.html).not.toMatch(/<script|on\w+=/i);
  });
});

describe("npm run content:check", () => {
  test("fails with the file, the line and the reason", () => {
    const directory = copyOfContent();
    const file = path.join(directory, "account-and-email/delete-account.mdx");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines.splice(11, 0, "", "Your token: {document.cookie}", "");
    fs.writeFileSync(file, lines.join("\n").replace(/^codes: \[.*\]$/m, "codes: [not_a_code]"));
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/content-check.ts", directory], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/delete-account\.mdx:\d+: front matter: unknown diagnosis code "not_a_code"/);
    expect(run.stderr).toMatch(/delete-account\.mdx:13:\d+: JavaScript expressions/);
  });

  test("refuses a link to a missing article, a screen the product doesn't have, and a diagnosis code no article answers", () => {
    const directory = copyOfContent();
    const file = path.join(directory, "account-and-email/delete-account.mdx");
    fs.appendFileSync(file, "\nSee [Old article](/faq/account-and-email/no-such-article), or go to **Account → Settings** and [your account](/my/account).\n");
    fs.rmSync(path.join(directory, "account-and-email/primary-email-not-verified.mdx"));
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/content-check.ts", directory], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/delete-account\.mdx:\d+:5: link to \/faq\/account-and-email\/no-such-article: no such article/);
    expect(run.stderr).toMatch(/delete-account\.mdx:\d+:\d+: menu path "Account → Settings" doesn't exist/);
    expect(run.stderr).toMatch(/delete-account\.mdx:\d+:\d+: link to \/my\/account: no such screen/);
    expect(run.stderr).toMatch(/diagnosis code primary_email_unverified has no article/);
    // Removing that article also breaks the links to it, and each is named.
    expect(run.stderr).toMatch(/change-primary-email-remove-old\.mdx:\d+:\d+: link to \/faq\/account-and-email\/primary-email-not-verified: no such article/);
  });

  test("passes on the real articles", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/content-check.ts"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});

describe("the article page", () => {
  const site = remixPages([{ id: "routes/faq.$category.$slug", path: "faq/:category/:slug", module: articleRoute }]);
  const page = (url: string) => site(new Request(`http://badgedesk.test${url}`), routeContext());
  /** The slugs the "Related articles" box links to, in order. */
  const relatedOn = (html: string) => {
    const box = html.slice(html.indexOf('id="related-title"'), html.indexOf("</nav>", html.indexOf('id="related-title"')));
    return [...box.matchAll(/href="\/faq\/[^/"]+\/([^"]+)"/g)].map((m) => m[1]);
  };

  test("shows the live revision with anchors, related articles and public caching", async () => {
    await importTestArticles();
    const response = await page("/faq/backpack-and-badges/badge-not-showing-in-backpack");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    const html = await response.text();
    expect(textOfId(html, "article-title")).toBe("My badge was awarded but doesn't show up in my backpack");
    expect([...html.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]).filter((id) => !id.endsWith("-title"))).toEqual([
      "find-out-where-the-badge-is-waiting",
      "fix-it",
      "still-missing",
    ]);
    expect(relatedOn(html).length).toBeGreaterThan(0);
    expect(html).toContain('<link rel="canonical" href="http://badgedesk.test/faq/backpack-and-badges/badge-not-showing-in-backpack"/>');
  });

  test("related articles include the obvious sibling, found through shared tags and codes", async () => {
    await importTestArticles();
    const related = async (url: string) => relatedOn(await (await page(url)).text());
    expect(await related("/faq/account-and-email/email-address-changed")).toContain("change-primary-email-remove-old");
    expect(await related("/faq/pathways/lost-pathway-invitation")).toContain("learner-has-not-accepted-pathway-invitation");
    // A learner's question gets learners' answers first.
    expect((await related("/faq/backpack-and-badges/badge-not-showing-in-backpack"))[0]).not.toMatch(/issuer|award-/);
  });

  test("an unknown article is a 404; an article under the wrong category redirects", async () => {
    await importTestArticles();
    expect((await page("/faq/pathways/no-such-article")).status).toBe(404);
    const moved = await page("/faq/pathways/delete-account");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("/faq/account-and-email/delete-account");
  });
});
