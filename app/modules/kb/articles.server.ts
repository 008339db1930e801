// Articles and their revisions: importing content/faq at start-up, the catalog of live articles,
// reading one article, and saving revisions (the editor builds on this).
import fs from "node:fs/promises";
import path from "node:path";
import { and, desc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";
import { kbArticles, kbRevisions } from "#db/schema";
import { audit } from "~/modules/audit";
import { compileArticle, contentHash, formatProblem, RENDERER_VERSION, type ArticleHeading, type ArticleProblem, type CompiledArticle } from "./article-compiler.server";
import { SLUG_PATTERN } from "./article-rules";
import { articleUrl } from "./categories";
import { bumpContentVersion, currentContentVersion, noteContentVersion } from "./content-version.server";

export const CONTENT_DIRECTORY = path.resolve("content/faq");
// Two instances starting together must not both import the same file.
const IMPORT_LOCK = 7_351_203;

export interface CatalogArticle {
  articleId: string;
  revisionId: string;
  slug: string;
  url: string;
  category: string;
  title: string;
  summary: string;
  tags: string[];
  codes: string[];
  updatedOn: string;
}

// ---------------------------------------------------------------------------------------------
// The catalog: every live article's metadata, loaded once per content version.

const catalogHolder: { version: number; articles: CatalogArticle[]; pending: Promise<CatalogArticle[]> | null; pendingVersion: number } = {
  version: -1,
  articles: [],
  pending: null,
  pendingVersion: -1,
};

/** The live revision of each article (the one published last), as a subquery named "live". */
function liveRevisions(executor: Executor) {
  return executor
    .selectDistinctOn([kbRevisions.articleId], {
      id: kbRevisions.id,
      articleId: kbRevisions.articleId,
      slug: kbArticles.slug,
      category: kbRevisions.category,
      title: kbRevisions.title,
      summary: kbRevisions.summary,
      tags: kbRevisions.tags,
      codes: kbRevisions.codes,
      updatedOn: kbRevisions.updatedOn,
      rendererVersion: kbRevisions.rendererVersion,
    })
    .from(kbRevisions)
    .innerJoin(kbArticles, eq(kbArticles.id, kbRevisions.articleId))
    // An archived article is off the site and out of search.
    .where(and(isNotNull(kbRevisions.publishedAt), isNull(kbArticles.archivedAt)))
    .orderBy(kbRevisions.articleId, desc(kbRevisions.publishedAt), desc(kbRevisions.number))
    .as("live");
}

export async function listLiveArticles(): Promise<CatalogArticle[]> {
  const version = await currentContentVersion();
  if (catalogHolder.version === version) return catalogHolder.articles;
  if (!catalogHolder.pending || catalogHolder.pendingVersion !== version) {
    catalogHolder.pendingVersion = version;
    catalogHolder.pending = loadCatalog().then((articles) => {
      catalogHolder.version = version;
      catalogHolder.articles = articles;
      return articles;
    });
  }
  return catalogHolder.pending;
}

async function loadCatalog(): Promise<CatalogArticle[]> {
  const live = liveRevisions(db);
  const articles = await db.select().from(live).orderBy(live.title);
  return articles.map(({ id, rendererVersion: _, updatedOn, ...article }) => ({ ...article, revisionId: id, url: articleUrl(article), updatedOn: updatedOn.slice(0, 10) }));
}

export function forgetCatalog(): void {
  catalogHolder.version = -1;
  catalogHolder.pending = null;
}

/**
 * The published articles that answer these diagnosis codes (every code when none are given), as
 * the accounts context links findings to them: they follow each publish, rollback and archive.
 */
export async function publishedArticlesForCodes(codes?: readonly string[]): Promise<{ path: string; title: string; summary: string; category: string; codes: string[] }[]> {
  const wanted = codes ? new Set(codes) : null;
  return (await listLiveArticles())
    .filter((a) => a.codes.length > 0 && (!wanted || a.codes.some((code) => wanted.has(code))))
    .map((a) => ({ path: a.url, title: a.title, summary: a.summary, category: a.category, codes: a.codes }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The published text of the live articles, for the search index. */
export async function listLiveArticleTexts(): Promise<(CatalogArticle & { plainText: string })[]> {
  const live = liveRevisions(db);
  const texts = await db.select({ id: live.id, plainText: kbRevisions.plainText }).from(live).innerJoin(kbRevisions, eq(kbRevisions.id, live.id));
  const byRevision = new Map(texts.map((t) => [t.id, t.plainText]));
  const catalog = await loadCatalog();
  return catalog.map((article) => ({ ...article, plainText: byRevision.get(article.revisionId) ?? "" }));
}

// ---------------------------------------------------------------------------------------------
// One article as a page shows it.

export interface ArticlePage extends CatalogArticle {
  html: string;
  headings: ArticleHeading[];
}

// Compiled HTML by revision (a revision never changes), so personal page views skip the database.
const compiledByRevision = new Map<string, { html: string; headings: ArticleHeading[] }>();
const COMPILED_KEPT = 500;

export async function findLiveArticle(slug: string): Promise<ArticlePage | null> {
  const article = (await listLiveArticles()).find((a) => a.slug === slug);
  if (!article) return null;
  const remembered = compiledByRevision.get(article.revisionId);
  if (remembered) return { ...article, ...remembered };
  const page = await readCompiledRevision(article);
  if (page) {
    compiledByRevision.set(article.revisionId, { html: page.html, headings: page.headings });
    if (compiledByRevision.size > COMPILED_KEPT) compiledByRevision.delete(compiledByRevision.keys().next().value!);
  }
  return page;
}

async function readCompiledRevision(article: CatalogArticle): Promise<ArticlePage | null> {
  const [revision] = await db
    .select({ id: kbRevisions.id, html: kbRevisions.html, headings: kbRevisions.headings, rendererVersion: kbRevisions.rendererVersion, source: kbRevisions.source })
    .from(kbRevisions)
    .where(eq(kbRevisions.id, article.revisionId))
    .limit(1);
  if (!revision) return null;
  if (revision.rendererVersion === RENDERER_VERSION) return { ...article, html: revision.html, headings: revision.headings };
  // Made by an older renderer: compile again once and keep the result for everyone.
  const compiled = await compileArticle(revision.source);
  if (!compiled.ok) return { ...article, html: revision.html, headings: revision.headings };
  await db
    .update(kbRevisions)
    .set({ html: compiled.article.html, headings: compiled.article.headings, plainText: compiled.article.plainText, rendererVersion: RENDERER_VERSION })
    .where(eq(kbRevisions.id, revision.id));
  return { ...article, html: compiled.article.html, headings: compiled.article.headings };
}

// ---------------------------------------------------------------------------------------------
// Revisions.

export async function insertRevision(
  tx: Executor,
  {
    articleId,
    compiled,
    source,
    origin,
    authorId,
    publish,
    message = "",
  }: { articleId: string; compiled: CompiledArticle; source: string; origin: "import" | "editor"; authorId: string | null; publish: boolean; message?: string },
) {
  const [{ next }] = rows<{ next: number }>(
    await tx.execute(sql`select coalesce(max(number), 0) + 1 as next from kb_revisions where article_id = ${articleId}`),
  );
  const { frontMatter } = compiled;
  const [revision] = await tx
    .insert(kbRevisions)
    .values({
      articleId,
      number: Number(next),
      origin,
      title: frontMatter.title,
      summary: frontMatter.summary,
      category: frontMatter.category,
      tags: frontMatter.tags,
      codes: frontMatter.codes,
      updatedOn: frontMatter.updated,
      source,
      contentHash: compiled.contentHash,
      html: compiled.html,
      headings: compiled.headings,
      plainText: compiled.plainText,
      rendererVersion: compiled.rendererVersion,
      authorId,
      message,
      publishedAt: publish ? sql`clock_timestamp()` : null,
    })
    .returning({ id: kbRevisions.id, number: kbRevisions.number });
  return revision;
}

export type SaveRevisionResult = { ok: true; revisionId: string; number: number } | { ok: false; problems: ArticleProblem[] };

/**
 * Checks and compiles an article's MDX and stores it as a new revision (the editor's save), published
 * at once when `publish`. Nothing is stored when the source breaks a rule.
 */
export async function saveRevision({ slug, source, authorId, publish }: { slug: string; source: string; authorId: string; publish: boolean }): Promise<SaveRevisionResult> {
  if (!SLUG_PATTERN.test(slug)) return { ok: false, problems: [{ line: 1, message: "the slug must be lower-case words joined by hyphens" }] };
  const compiled = await compileArticle(source);
  if (!compiled.ok) return compiled;
  const saved = await db.transaction(async (tx) => {
    const [article] = await tx.insert(kbArticles).values({ slug }).onConflictDoUpdate({ target: kbArticles.slug, set: { slug } }).returning({ id: kbArticles.id });
    const revision = await insertRevision(tx, { articleId: article.id, compiled: compiled.article, source, origin: "editor", authorId, publish });
    await audit(tx, { actorId: authorId, action: publish ? "kb.revision_published" : "kb.revision_saved", targetType: "kb_article", targetId: article.id, after: { revision: revision.number, title: compiled.article.frontMatter.title } });
    const version = publish ? await bumpContentVersion(tx) : null;
    return { revision, version };
  });
  if (saved.version !== null) await afterPublish(saved.version);
  return { ok: true, revisionId: saved.revision.id, number: saved.revision.number };
}

type AfterPublish = (version: number) => Promise<void>;
let afterPublishHook: AfterPublish = async () => {};
/** search.server.ts registers the index rebuild here (it depends on this file, not the reverse). */
export function onPublish(hook: AfterPublish): void {
  afterPublishHook = hook;
}
export async function afterPublish(version: number) {
  noteContentVersion(version);
  forgetCatalog();
  await afterPublishHook(version);
}

// ---------------------------------------------------------------------------------------------
// Import from content/faq.

export interface ArticleFile {
  file: string;
  category: string;
  slug: string;
  source: string;
}

export async function readArticleFiles(directory = CONTENT_DIRECTORY): Promise<ArticleFile[]> {
  const files: ArticleFile[] = [];
  for (const category of (await fs.readdir(directory, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const name of (await fs.readdir(path.join(directory, category))).filter((n) => n.endsWith(".mdx")).sort()) {
      const file = path.join(directory, category, name);
      files.push({ file, category, slug: name.replace(/\.mdx$/, ""), source: await fs.readFile(file, "utf8") });
    }
  }
  return files;
}

/** Problems with where a file sits: its folder must be its category and its name a slug. */
export function placementProblems(file: ArticleFile, compiled: CompiledArticle | null): ArticleProblem[] {
  const problems: ArticleProblem[] = [];
  if (!SLUG_PATTERN.test(file.slug)) problems.push({ line: 1, message: `file name "${file.slug}.mdx" must be lower-case words joined by hyphens` });
  if (compiled && compiled.frontMatter.category !== file.category) {
    const line = file.source.split("\n").findIndex((l) => l.startsWith("category:")) + 1 || 1;
    problems.push({ line, message: `category "${compiled.frontMatter.category}" does not match the folder "${file.category}"` });
  }
  return problems;
}

export interface ImportReport {
  imported: string[];
  unchanged: number;
  rejected: { file: string; problems: string[] }[];
  contentVersion: number;
}

/**
 * Imports every article file as a new published revision when it differs from the last revision
 * imported from it (by content hash): running it again changes nothing, and a revision the editor
 * published on top stays live until the file itself changes. A broken file is reported and skipped;
 * the article keeps its previous revision.
 */
export async function importArticles({ directory = CONTENT_DIRECTORY }: { directory?: string } = {}): Promise<ImportReport> {
  const files = await readArticleFiles(directory);
  const lastImported = async (executor: Executor) => {
    const latest = await executor
      .selectDistinctOn([kbRevisions.articleId], { slug: kbArticles.slug, contentHash: kbRevisions.contentHash })
      .from(kbRevisions)
      .innerJoin(kbArticles, eq(kbArticles.id, kbRevisions.articleId))
      .where(eq(kbRevisions.origin, "import"))
      .orderBy(kbRevisions.articleId, desc(kbRevisions.number));
    return new Map(latest.map((r) => [r.slug, r.contentHash]));
  };
  const known = await lastImported(db);
  // A file that holds what is live already (content:export wrote it) is not a change.
  const liveHashes = await liveContentHashes(db);
  const rejected: ImportReport["rejected"] = [];
  const changed: { file: ArticleFile; compiled: CompiledArticle }[] = [];
  for (const file of files) {
    const hash = contentHash(file.source);
    if (known.get(file.slug) === hash || liveHashes.get(file.slug) === hash) continue;
    const compiled = await compileArticle(file.source);
    const problems = compiled.ok ? placementProblems(file, compiled.article) : [...compiled.problems, ...placementProblems(file, null)];
    if (problems.length > 0) {
      rejected.push({ file: path.relative(process.cwd(), file.file), problems: problems.map((p) => formatProblem(path.relative(process.cwd(), file.file), p)) });
      continue;
    }
    if (compiled.ok) changed.push({ file, compiled: compiled.article });
  }

  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
    const current = await lastImported(tx);
    const imported: string[] = [];
    for (const { file, compiled } of changed) {
      if (current.get(file.slug) === compiled.contentHash) continue;
      const sourcePath = path.relative(process.cwd(), file.file);
      const [article] = await tx
        .insert(kbArticles)
        .values({ slug: file.slug, sourcePath })
        .onConflictDoUpdate({ target: kbArticles.slug, set: { sourcePath } })
        .returning({ id: kbArticles.id });
      const revision = await insertRevision(tx, { articleId: article.id, compiled, source: file.source, origin: "import", authorId: null, publish: true });
      await audit(tx, { actorId: null, action: "kb.article_imported", targetType: "kb_article", targetId: article.id, after: { file: sourcePath, revision: revision.number, hash: compiled.contentHash } });
      imported.push(file.slug);
    }
    const refreshed = await recompileStaleRevisions(tx);
    const version = imported.length > 0 || refreshed > 0 ? await bumpContentVersion(tx) : null;
    return { imported, version };
  });
  if (result.version !== null) await afterPublish(result.version);
  return {
    imported: result.imported,
    unchanged: files.length - rejected.length - result.imported.length,
    rejected,
    contentVersion: result.version ?? (await currentContentVersion()),
  };
}

async function liveContentHashes(executor: Executor): Promise<Map<string, string>> {
  const live = liveRevisions(executor);
  const found = await executor.select({ slug: live.slug, contentHash: kbRevisions.contentHash }).from(live).innerJoin(kbRevisions, eq(kbRevisions.id, live.id));
  return new Map(found.map((r) => [r.slug, r.contentHash]));
}

// ---------------------------------------------------------------------------------------------
// Export to content/faq (npm run content:export): the published revisions back as files.

export interface ExportReport {
  written: string[];
  unchanged: number;
  removed: string[];
}

/**
 * Writes each live article's published source to <directory>/<category>/<slug>.mdx, byte for byte
 * (an imported article comes back exactly as it was read), and removes the files of articles that
 * were archived or moved. Files that already hold the text are left alone.
 */
export async function exportArticles({ directory = CONTENT_DIRECTORY }: { directory?: string } = {}): Promise<ExportReport> {
  const live = liveRevisions(db);
  const articles = await db.select({ slug: live.slug, category: live.category, source: kbRevisions.source }).from(live).innerJoin(kbRevisions, eq(kbRevisions.id, live.id));
  const report: ExportReport = { written: [], unchanged: 0, removed: [] };
  const wanted = new Set<string>();
  for (const article of articles) {
    const file = path.join(directory, article.category, `${article.slug}.mdx`);
    wanted.add(file);
    const current = await fs.readFile(file, "utf8").catch(() => null);
    if (current === article.source) {
      report.unchanged++;
      continue;
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, article.source);
    report.written.push(path.relative(directory, file));
  }
  // Files of articles that are no longer live under that name (archived, moved, renamed).
  const known = new Set((await db.select({ slug: kbArticles.slug }).from(kbArticles)).map((a) => a.slug));
  const redirected = new Set(rows<{ old_slug: string }>(await db.execute(sql`select old_slug from kb_slug_redirects`)).map((r) => r.old_slug));
  for (const file of await readArticleFiles(directory)) {
    if (wanted.has(file.file)) continue;
    if (known.has(file.slug) || redirected.has(file.slug)) {
      await fs.rm(file.file);
      report.removed.push(path.relative(directory, file.file));
    }
  }
  return report;
}

/**
 * Live revisions compiled by an older renderer get their HTML and text made again (and the search
 * index with them, by the version bump that follows), so a renderer change reaches every page.
 */
async function recompileStaleRevisions(tx: Executor): Promise<number> {
  const live = liveRevisions(tx);
  const stale = await tx
    .select({ id: live.id, source: kbRevisions.source })
    .from(live)
    .innerJoin(kbRevisions, eq(kbRevisions.id, live.id))
    .where(ne(live.rendererVersion, RENDERER_VERSION));
  for (const revision of stale) {
    const compiled = await compileArticle(revision.source);
    if (!compiled.ok) continue;
    await tx
      .update(kbRevisions)
      .set({ html: compiled.article.html, headings: compiled.article.headings, plainText: compiled.article.plainText, rendererVersion: RENDERER_VERSION })
      .where(eq(kbRevisions.id, revision.id));
  }
  return stale.length;
}
