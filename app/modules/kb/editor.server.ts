// The editor: articles as editors see them (drafts, history, helpfulness), and every change an
// editor makes: save a draft, publish, roll back, archive, change the address. Each change is one
// transaction with its audit row; a publish bumps the content version, which every instance reads
// at most a second later (content-version.server.ts), so pages, caches and search follow.
import { and, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";
import { accounts, kbArticleViews, kbArticles, kbFeedback, kbRevisions, kbSlugRedirects, kbVotes } from "#db/schema";
import { audit } from "~/modules/audit";
import { DIAGNOSIS_CODES } from "~/lib/diagnosis-codes";
import { compileArticle, type ArticleProblem } from "./article-compiler.server";
import { afterPublish, insertRevision, listLiveArticles } from "./articles.server";
import { articleUrl } from "./categories";
import { bumpContentVersion } from "./content-version.server";
import { articleBody, articleSource, ATTENTION_DAYS, bodyLineOffset, byNeedsAttention, wordDiff, type ArticleFields, type DiffPart } from "./editor-rules";

export type ArticleStatus = "published" | "draft" | "unpublished" | "archived";

export interface EditorArticleRow {
  id: string;
  slug: string;
  title: string;
  category: string;
  status: ArticleStatus;
  yes: number;
  no: number;
  views: number;
  openComments: number;
  lastEditor: string | null;
  lastEditedAt: Date;
  url: string;
}

const since = (days: number) => sql`now() - make_interval(days => ${days})`;

/** Every article with its status and what readers made of it over the last 30 days, "needs attention" first. */
export async function listEditorArticles({ category = "", query = "" }: { category?: string; query?: string } = {}): Promise<EditorArticleRow[]> {
  const latest = await db
    .selectDistinctOn([kbRevisions.articleId], {
      articleId: kbRevisions.articleId,
      title: kbRevisions.title,
      category: kbRevisions.category,
      createdAt: kbRevisions.createdAt,
      publishedAt: kbRevisions.publishedAt,
      authorName: accounts.name,
      slug: kbArticles.slug,
      archivedAt: kbArticles.archivedAt,
    })
    .from(kbRevisions)
    .innerJoin(kbArticles, eq(kbArticles.id, kbRevisions.articleId))
    .leftJoin(accounts, eq(accounts.id, kbRevisions.authorId))
    .orderBy(kbRevisions.articleId, desc(kbRevisions.number));
  const everPublished = new Set(
    (
      await db
        .selectDistinct({ articleId: kbRevisions.articleId })
        .from(kbRevisions)
        .where(sql`${kbRevisions.publishedAt} is not null`)
    ).map((r) => r.articleId)
  );
  const [votes, views, comments] = await Promise.all([
    db
      .select({
        articleId: kbVotes.articleId,
        yes: sql<number>`count(*) filter (where ${kbVotes.helpful})::int`,
        no: sql<number>`count(*) filter (where not ${kbVotes.helpful})::int`,
      })
      .from(kbVotes)
      .where(gte(kbVotes.updatedAt, since(ATTENTION_DAYS)))
      .groupBy(kbVotes.articleId),
    db
      .select({
        articleId: kbArticleViews.articleId,
        views: sql<number>`sum(${kbArticleViews.views})::int`,
      })
      .from(kbArticleViews)
      .where(gte(kbArticleViews.day, sql`(current_date - ${ATTENTION_DAYS}::int)`))
      .groupBy(kbArticleViews.articleId),
    db
      .select({
        articleId: kbFeedback.articleId,
        open: sql<number>`count(*)::int`,
      })
      .from(kbFeedback)
      .where(isNull(kbFeedback.handledAt))
      .groupBy(kbFeedback.articleId),
  ]);
  const votesBy = new Map(votes.map((v) => [v.articleId, v]));
  const viewsBy = new Map(views.map((v) => [v.articleId, Number(v.views)]));
  const commentsBy = new Map(comments.map((c) => [c.articleId, Number(c.open)]));
  const q = query.trim().toLowerCase();
  return latest
    .filter((row) => (!category || row.category === category) && (!q || row.title.toLowerCase().includes(q) || row.slug.includes(q)))
    .map((row) => ({
      id: row.articleId,
      slug: row.slug,
      title: row.title,
      category: row.category,
      status: (row.archivedAt ? "archived" : row.publishedAt ? "published" : everPublished.has(row.articleId) ? "draft" : "unpublished") as ArticleStatus,
      yes: Number(votesBy.get(row.articleId)?.yes ?? 0),
      no: Number(votesBy.get(row.articleId)?.no ?? 0),
      views: viewsBy.get(row.articleId) ?? 0,
      openComments: commentsBy.get(row.articleId) ?? 0,
      lastEditor: row.authorName,
      lastEditedAt: row.createdAt,
      url: articleUrl({ category: row.category, slug: row.slug }),
    }))
    .sort((a, b) => Number(a.status === "archived") - Number(b.status === "archived") || byNeedsAttention(a, b));
}

/** Diagnosis codes no published article answers: a learner with that finding gets no article. */
export async function codesWithoutPublishedArticle(): Promise<string[]> {
  const answered = new Set((await listLiveArticles()).flatMap((a) => a.codes));
  return DIAGNOSIS_CODES.filter((code) => !answered.has(code));
}

// ---------------------------------------------------------------------------------------------
// One article in the editor.

export interface RevisionSummary {
  id: string;
  number: number;
  title: string;
  message: string;
  authorName: string | null;
  origin: string;
  createdAt: Date;
  publishedAt: Date | null;
  live: boolean;
}

export interface ArticleForEditing {
  id: string;
  slug: string;
  archivedAt: Date | null;
  replacementSlug: string | null;
  /** The newest revision (a draft when it is not live): what the form starts from. */
  latest: {
    id: string;
    number: number;
    fields: ArticleFields;
    body: string;
    live: boolean;
    html: string;
  };
  liveRevisionId: string | null;
  revisions: RevisionSummary[];
}

export async function findArticleForEditing(articleId: string): Promise<ArticleForEditing | null> {
  const [article] = await db
    .select({
      id: kbArticles.id,
      slug: kbArticles.slug,
      archivedAt: kbArticles.archivedAt,
      replacementArticleId: kbArticles.replacementArticleId,
    })
    .from(kbArticles)
    .where(eq(kbArticles.id, articleId))
    .limit(1);
  if (!article) return null;
  const revisions = await db
    .select({
      id: kbRevisions.id,
      number: kbRevisions.number,
      title: kbRevisions.title,
      message: kbRevisions.message,
      authorName: accounts.name,
      origin: kbRevisions.origin,
      createdAt: kbRevisions.createdAt,
      publishedAt: kbRevisions.publishedAt,
    })
    .from(kbRevisions)
    .leftJoin(accounts, eq(accounts.id, kbRevisions.authorId))
    .where(eq(kbRevisions.articleId, articleId))
    .orderBy(desc(kbRevisions.number));
  if (revisions.length === 0) return null;
  const live = revisions.filter((r) => r.publishedAt).sort((a, b) => b.publishedAt!.getTime() - a.publishedAt!.getTime() || b.number - a.number)[0] ?? null;
  const [latest] = await db.select().from(kbRevisions).where(eq(kbRevisions.id, revisions[0].id)).limit(1);
  const replacement = article.replacementArticleId
    ? (await db.select({ slug: kbArticles.slug }).from(kbArticles).where(eq(kbArticles.id, article.replacementArticleId)).limit(1))[0]?.slug ?? null
    : null;
  return {
    id: article.id,
    slug: article.slug,
    archivedAt: article.archivedAt,
    replacementSlug: replacement,
    latest: {
      id: latest.id,
      number: latest.number,
      fields: {
        title: latest.title,
        summary: latest.summary,
        category: latest.category,
        tags: latest.tags,
        codes: latest.codes,
        updated: latest.updatedOn,
      },
      body: articleBody(latest.source),
      live: live?.id === latest.id,
      html: latest.html,
    },
    liveRevisionId: live?.id ?? null,
    revisions: revisions.map((r) => ({ ...r, live: r.id === live?.id })),
  };
}

// ---------------------------------------------------------------------------------------------
// Preview: the public site's compiler, problems given on the body's own lines.

export type PreviewResult = { ok: true; html: string } | { ok: false; problems: ArticleProblem[] };

export async function previewArticle(fields: ArticleFields, body: string): Promise<PreviewResult> {
  const source = articleSource(fields, body);
  const compiled = await compileArticle(source);
  if (compiled.ok) return { ok: true, html: compiled.article.html };
  return { ok: false, problems: onBodyLines(source, compiled.problems) };
}

/** Front-matter lines are form fields in the editor: problems are reported on the body's lines. */
function onBodyLines(source: string, problems: ArticleProblem[]): ArticleProblem[] {
  const offset = bodyLineOffset(source);
  return problems.map((p) => (p.line > offset ? { ...p, line: p.line - offset } : { line: 0, message: p.message.replace(/^front matter: /, "") }));
}

// ---------------------------------------------------------------------------------------------
// Saving.

export interface SaveInput {
  /** null: a new article. */
  articleId: string | null;
  slug: string;
  fields: Omit<ArticleFields, "updated">;
  body: string;
  message: string;
  /** The newest revision when the editor opened the article ("" for a new one). */
  baseRevisionId: string;
  publish: boolean;
  authorId: string;
}

export type SaveResult =
  | { ok: true; articleId: string; number: number; published: boolean }
  | { ok: false; reason: "problems"; problems: ArticleProblem[] }
  | { ok: false; reason: "slug_taken" }
  | { ok: false; reason: "not_found" }
  | {
      ok: false;
      reason: "conflict";
      latest: {
        id: string;
        number: number;
        authorName: string | null;
        createdAt: Date;
        body: string;
      };
      diff: DiffPart[];
    };

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Saves the form as a new revision: a draft, or published at once. A compile problem refuses a
 * publish (the public site never sees it); a draft with problems is refused too, since a revision
 * always holds compiled HTML. When someone saved since `baseRevisionId`, nothing is stored and the
 * newer revision comes back with the word diff against what this editor wrote.
 */
export async function saveArticle(input: SaveInput): Promise<SaveResult> {
  const source = articleSource({ ...input.fields, updated: today() }, input.body);
  const compiled = await compileArticle(source);
  if (!compiled.ok)
    return {
      ok: false,
      reason: "problems",
      problems: onBodyLines(source, compiled.problems),
    };
  const saved = await db.transaction(
    async (
      tx
    ): Promise<
      | SaveResult
      | {
          ok: true;
          articleId: string;
          number: number;
          published: boolean;
          version: number | null;
        }
    > => {
      let articleId = input.articleId;
      if (articleId) {
        const [article] = await tx.select({ id: kbArticles.id, slug: kbArticles.slug }).from(kbArticles).where(eq(kbArticles.id, articleId)).for("update").limit(1);
        if (!article) return { ok: false, reason: "not_found" };
        const [latest] = await tx
          .select({
            id: kbRevisions.id,
            number: kbRevisions.number,
            source: kbRevisions.source,
            createdAt: kbRevisions.createdAt,
            authorName: accounts.name,
          })
          .from(kbRevisions)
          .leftJoin(accounts, eq(accounts.id, kbRevisions.authorId))
          .where(eq(kbRevisions.articleId, articleId))
          .orderBy(desc(kbRevisions.number))
          .limit(1);
        if (latest && latest.id !== input.baseRevisionId) {
          const latestBody = articleBody(latest.source);
          return {
            ok: false,
            reason: "conflict",
            latest: {
              id: latest.id,
              number: latest.number,
              authorName: latest.authorName,
              createdAt: latest.createdAt,
              body: latestBody,
            },
            diff: wordDiff(latestBody, input.body),
          };
        }
        if (article.slug !== input.slug) {
          if (
            !(await moveSlug(tx, {
              articleId,
              from: article.slug,
              to: input.slug,
              actorId: input.authorId,
            }))
          )
            return { ok: false, reason: "slug_taken" };
        }
      } else {
        const [created] = await tx.insert(kbArticles).values({ slug: input.slug }).onConflictDoNothing().returning({ id: kbArticles.id });
        if (!created) return { ok: false, reason: "slug_taken" };
        articleId = created.id;
      }
      const revision = await insertRevision(tx, {
        articleId,
        compiled: compiled.article,
        source,
        origin: "editor",
        authorId: input.authorId,
        publish: input.publish,
        message: input.message,
      });
      if (input.publish) {
        await audit(tx, {
          actorId: input.authorId,
          action: "kb.revision_published",
          targetType: "kb_article",
          targetId: articleId,
          after: {
            revision: revision.number,
            title: input.fields.title,
            slug: input.slug,
            message: input.message,
          },
        });
      }
      const version = input.publish ? await bumpContentVersion(tx) : null;
      return {
        ok: true,
        articleId,
        number: revision.number,
        published: input.publish,
        version,
      };
    }
  );
  if (!saved.ok) return saved;
  if ("version" in saved && saved.version !== null) await afterPublish(saved.version);
  return {
    ok: true,
    articleId: saved.articleId,
    number: saved.number,
    published: saved.published,
  };
}

/** The article moves to a new address; the old one redirects (301). False when the new one is taken. */
async function moveSlug(tx: Executor, { articleId, from, to, actorId }: { articleId: string; from: string; to: string; actorId: string }): Promise<boolean> {
  const [taken] = await tx.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, to)).limit(1);
  if (taken) return false;
  // An address that redirected elsewhere now belongs to this article again.
  await tx.delete(kbSlugRedirects).where(eq(kbSlugRedirects.oldSlug, to));
  await tx.update(kbArticles).set({ slug: to }).where(eq(kbArticles.id, articleId));
  await tx.insert(kbSlugRedirects).values({ oldSlug: from, articleId }).onConflictDoUpdate({
    target: kbSlugRedirects.oldSlug,
    set: { articleId },
  });
  await audit(tx, {
    actorId,
    action: "kb.article_moved",
    targetType: "kb_article",
    targetId: articleId,
    before: { slug: from },
    after: { slug: to },
  });
  return true;
}

export type RevisionChangeResult = { ok: true; number: number } | { ok: false; reason: "not_found" | "conflict" };

/** Publishes an old revision again as a new revision (history only grows). */
export async function rollBackToRevision({
  articleId,
  revisionId,
  authorId,
  baseRevisionId,
}: {
  articleId: string;
  revisionId: string;
  authorId: string;
  baseRevisionId?: string;
}): Promise<RevisionChangeResult> {
  const [target] = await db
    .select()
    .from(kbRevisions)
    .where(and(eq(kbRevisions.id, revisionId), eq(kbRevisions.articleId, articleId)))
    .limit(1);
  if (!target) return { ok: false, reason: "not_found" };
  const compiled = await compileArticle(target.source);
  if (!compiled.ok) return { ok: false, reason: "not_found" };
  const result = await db.transaction(async (tx) => {
    await tx.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.id, articleId)).for("update");
    const [latest] = await tx.select({ id: kbRevisions.id }).from(kbRevisions).where(eq(kbRevisions.articleId, articleId)).orderBy(desc(kbRevisions.number)).limit(1);
    if (baseRevisionId && latest?.id !== baseRevisionId) return null;
    const revision = await insertRevision(tx, {
      articleId,
      compiled: compiled.article,
      source: target.source,
      origin: "editor",
      authorId,
      publish: true,
      message: `Rolled back to revision ${target.number}`,
    });
    await audit(tx, {
      actorId: authorId,
      action: "kb.revision_rolled_back",
      targetType: "kb_article",
      targetId: articleId,
      after: { revision: revision.number, restored: target.number },
    });
    return { number: revision.number, version: await bumpContentVersion(tx) };
  });
  if (!result) return { ok: false, reason: "conflict" };
  await afterPublish(result.version);
  return { ok: true, number: result.number };
}

/** Takes an article off the site and out of search; its address redirects to `replacementId`, or answers 410. */
export async function archiveArticle({
  articleId,
  replacementId,
  authorId,
}: {
  articleId: string;
  replacementId: string | null;
  authorId: string;
}): Promise<{ ok: true } | { ok: false; reason: "not_found" | "bad_replacement" }> {
  const result = await db.transaction(async (tx) => {
    const [article] = await tx.select({ id: kbArticles.id, slug: kbArticles.slug }).from(kbArticles).where(eq(kbArticles.id, articleId)).for("update").limit(1);
    if (!article) return "not_found" as const;
    if (replacementId) {
      const [replacement] = await tx.select({ id: kbArticles.id, archivedAt: kbArticles.archivedAt }).from(kbArticles).where(eq(kbArticles.id, replacementId)).limit(1);
      if (!replacement || replacement.archivedAt || replacement.id === articleId) return "bad_replacement" as const;
    }
    await tx
      .update(kbArticles)
      .set({ archivedAt: sql`now()`, replacementArticleId: replacementId })
      .where(eq(kbArticles.id, articleId));
    await audit(tx, {
      actorId: authorId,
      action: "kb.article_archived",
      targetType: "kb_article",
      targetId: articleId,
      after: { slug: article.slug, replacementId },
    });
    return bumpContentVersion(tx);
  });
  if (typeof result === "string") return { ok: false, reason: result };
  await afterPublish(result);
  return { ok: true };
}

/** Brings an archived article back with the revision it had. */
export async function restoreArticle({ articleId, authorId }: { articleId: string; authorId: string }): Promise<boolean> {
  const version = await db.transaction(async (tx) => {
    const restored = await tx.update(kbArticles).set({ archivedAt: null, replacementArticleId: null }).where(eq(kbArticles.id, articleId)).returning({ id: kbArticles.id });
    if (restored.length === 0) return null;
    await audit(tx, {
      actorId: authorId,
      action: "kb.article_restored",
      targetType: "kb_article",
      targetId: articleId,
    });
    return bumpContentVersion(tx);
  });
  if (version === null) return false;
  await afterPublish(version);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Comparing revisions.

export async function compareRevisions({ articleId, from, to }: { articleId: string; from: string; to: string }) {
  const found = await db
    .select({
      id: kbRevisions.id,
      number: kbRevisions.number,
      source: kbRevisions.source,
    })
    .from(kbRevisions)
    .where(and(eq(kbRevisions.articleId, articleId), inArray(kbRevisions.id, [from, to])));
  const before = found.find((r) => r.id === from);
  const after = found.find((r) => r.id === to);
  if (!before || !after) return null;
  return {
    from: before.number,
    to: after.number,
    parts: wordDiff(before.source, after.source),
  };
}

// ---------------------------------------------------------------------------------------------
// Where a retired address goes: the public article route asks this when no live article has the slug.

export type RetiredAddress = { kind: "moved"; url: string } | { kind: "gone" } | null;

export async function findRetiredAddress(slug: string): Promise<RetiredAddress> {
  const [redirect] = await db.select({ articleId: kbSlugRedirects.articleId }).from(kbSlugRedirects).where(eq(kbSlugRedirects.oldSlug, slug)).limit(1);
  const [article] = await db
    .select({
      id: kbArticles.id,
      archivedAt: kbArticles.archivedAt,
      replacementArticleId: kbArticles.replacementArticleId,
    })
    .from(kbArticles)
    .where(redirect ? eq(kbArticles.id, redirect.articleId) : eq(kbArticles.slug, slug))
    .limit(1);
  if (!article) return null;
  const live = await listLiveArticles();
  if (article.archivedAt) {
    const replacement = article.replacementArticleId ? live.find((a) => a.articleId === article.replacementArticleId) : undefined;
    return replacement ? { kind: "moved", url: replacement.url } : { kind: "gone" };
  }
  const current = live.find((a) => a.articleId === article.id);
  return current && redirect ? { kind: "moved", url: current.url } : null;
}

/** The live articles an archived one can hand its readers to. */
export async function listReplacementCandidates(excludeId: string) {
  return (await listLiveArticles()).filter((a) => a.articleId !== excludeId).map((a) => ({ id: a.articleId, title: a.title }));
}
