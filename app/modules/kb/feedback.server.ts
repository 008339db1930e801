// "Did you find it helpful?": one vote per visitor per article (a changed mind updates it), and
// "Help us improve this article" comments, optionally with an address and a request to be contacted.
import { and, desc, eq, sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { kbFeedback, kbVotes } from "#db/schema";
import { hitRateLimit } from "~/modules/rate-limit";
import { openTicket } from "~/modules/tickets";
import { listLiveArticles, type CatalogArticle } from "./articles.server";
import { rankByHelpfulness, type VoteTally } from "./helpfulness";
import { describeErrorForLog } from "~/lib/log-redaction";

export const VOTES_PER_CLIENT = { limit: 30, windowSeconds: 10 * 60 };
// One vote per cookie is no limit for a client that drops its cookies: one article's tally may
// move by at most this much from one client (a household or a classroom behind one address).
export const VOTES_PER_CLIENT_AND_ARTICLE = { limit: 5, windowSeconds: 60 * 60 };
export const COMMENTS_PER_CLIENT = { limit: 8, windowSeconds: 60 * 60 };

export interface VoterState {
  vote: "yes" | "no" | null;
  /** The visitor already told us what was missing (after their latest "No"). */
  commented: boolean;
  contactEmail: string | null;
}

export async function findVoterState({ articleId, voterKey }: { articleId: string; voterKey: string | null }): Promise<VoterState> {
  if (!voterKey) return { vote: null, commented: false, contactEmail: null };
  const [vote] = await db
    .select({ helpful: kbVotes.helpful, updatedAt: kbVotes.updatedAt })
    .from(kbVotes)
    .where(and(eq(kbVotes.articleId, articleId), eq(kbVotes.voterKey, voterKey)))
    .limit(1);
  if (!vote) return { vote: null, commented: false, contactEmail: null };
  const [comment] = await db
    .select({ contactEmail: kbFeedback.contactEmail, wantsContact: kbFeedback.wantsContact, createdAt: kbFeedback.createdAt })
    .from(kbFeedback)
    .where(and(eq(kbFeedback.articleId, articleId), eq(kbFeedback.voterKey, voterKey)))
    .orderBy(desc(kbFeedback.createdAt))
    .limit(1);
  const commented = !vote.helpful && Boolean(comment) && comment.createdAt >= vote.updatedAt;
  return { vote: vote.helpful ? "yes" : "no", commented, contactEmail: commented && comment.wantsContact ? comment.contactEmail : null };
}

export type VoteResult = { ok: true } | { ok: false; reason: "not_found" | "rate_limited"; retryAfterSeconds?: number };

async function liveArticle(slug: string): Promise<CatalogArticle | null> {
  return (await listLiveArticles()).find((a) => a.slug === slug) ?? null;
}

/** Records or changes a visitor's vote: one row per visitor and article, so it counts once. */
export async function recordVote({ slug, voterKey, helpful, clientKey }: { slug: string; voterKey: string; helpful: boolean; clientKey: string }): Promise<VoteResult> {
  const article = await liveArticle(slug);
  if (!article) return { ok: false, reason: "not_found" };
  const [limit, perArticle] = await Promise.all([
    hitRateLimit({ key: `kb-vote:${clientKey}`, ...VOTES_PER_CLIENT }),
    hitRateLimit({ key: `kb-vote:${clientKey}:${article.articleId}`, ...VOTES_PER_CLIENT_AND_ARTICLE }),
  ]);
  if (!limit.allowed || !perArticle.allowed) {
    return { ok: false, reason: "rate_limited", retryAfterSeconds: Math.max(limit.retryAfterSeconds, perArticle.retryAfterSeconds) };
  }
  await db
    .insert(kbVotes)
    .values({ articleId: article.articleId, voterKey, helpful, revisionId: article.revisionId })
    .onConflictDoUpdate({
      target: [kbVotes.articleId, kbVotes.voterKey],
      set: { helpful, revisionId: article.revisionId, updatedAt: sql`clock_timestamp()` },
    });
  return { ok: true };
}

export type FeedbackResult = { ok: true; ticketOpened: boolean } | { ok: false; reason: "not_found" | "rate_limited"; retryAfterSeconds?: number };

/**
 * Stores what was missing from an article. With "contact me", the address is kept with a flag and
 * a ticket linked to the article is opened for Customer Care.
 */
export async function recordFeedback({
  slug,
  voterKey,
  comment,
  contactEmail,
  wantsContact,
  requester,
  clientKey,
}: {
  slug: string;
  voterKey: string;
  comment: string;
  contactEmail: string | null;
  wantsContact: boolean;
  requester: { accountId: string | null; name: string | null };
  clientKey: string;
}): Promise<FeedbackResult> {
  const article = await liveArticle(slug);
  if (!article) return { ok: false, reason: "not_found" };
  const limit = await hitRateLimit({ key: `kb-feedback:${clientKey}`, ...COMMENTS_PER_CLIENT });
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  // Commenting means the article did not help: make sure that is the vote (it may have been a "Yes").
  await db
    .insert(kbVotes)
    .values({ articleId: article.articleId, voterKey, helpful: false, revisionId: article.revisionId })
    .onConflictDoUpdate({
      target: [kbVotes.articleId, kbVotes.voterKey],
      set: { helpful: false, revisionId: article.revisionId, updatedAt: sql`clock_timestamp()` },
      setWhere: sql`${kbVotes.helpful} = true`,
    });
  const [feedback] = await db
    .insert(kbFeedback)
    .values({ articleId: article.articleId, revisionId: article.revisionId, voterKey, comment, contactEmail, wantsContact: wantsContact && Boolean(contactEmail) })
    .returning({ id: kbFeedback.id });
  const ticketOpened = wantsContact && contactEmail ? await openTicketForArticleFeedback({ feedbackId: feedback.id, article, comment, contactEmail, requester, clientKey }) : false;
  return { ok: true, ticketOpened };
}

/**
 * The "contact me" hook: opens a Customer Care ticket linked to the article and remembers it on the
 * feedback row. A failure here never loses the feedback; the row keeps wants_contact with no ticket,
 * which the agents' queue can still find.
 */
export async function openTicketForArticleFeedback({
  feedbackId,
  article,
  comment,
  contactEmail,
  requester,
  clientKey,
}: {
  feedbackId: string;
  article: CatalogArticle;
  comment: string;
  contactEmail: string;
  requester: { accountId: string | null; name: string | null };
  clientKey: string;
}): Promise<boolean> {
  try {
    const result = await openTicket({
      requester: { accountId: requester.accountId, name: requester.name ?? contactEmail.split("@")[0], email: contactEmail },
      category: ticketCategoryFor(article.category),
      subject: `Feedback on “${article.title}”`.slice(0, 140),
      description: comment.trim() || `I read “${article.title}” and it didn't answer my question. Please contact me.`,
      articleSlug: article.slug,
      source: "article_feedback",
      idempotencyKey: `kb-feedback-${feedbackId}`,
      clientKey,
    });
    if (!result.ok) {
      console.error("article feedback %s: the ticket was not opened: %j", feedbackId, result.errors);
      return false;
    }
    await db.update(kbFeedback).set({ ticketId: result.ticketId }).where(eq(kbFeedback.id, feedbackId));
    return true;
  } catch (error) {
    console.error("article feedback %s: opening the ticket failed: %s", feedbackId, describeErrorForLog(error));
    return false;
  }
}

function ticketCategoryFor(category: string) {
  switch (category) {
    case "backpack-and-badges":
      return "missing_badge" as const;
    case "account-and-email":
      return "email_account" as const;
    case "pathways":
      return "pathways" as const;
    case "verifying-and-sharing":
      return "verification_sharing" as const;
    default:
      return "other" as const;
  }
}

/** Vote counts per live article. */
export async function voteTallies(): Promise<Map<string, VoteTally>> {
  const tallies = rows<{ article_id: string; yes: number; no: number }>(
    await db.execute(sql`select article_id, count(*) filter (where helpful)::int as yes, count(*) filter (where not helpful)::int as no from kb_votes group by article_id`),
  );
  return new Map(tallies.map((t) => [t.article_id, { yes: Number(t.yes), no: Number(t.no) }]));
}

/** The articles readers found most helpful; with few votes yet, the most asked questions. */
export async function mostHelpfulArticles({ limit = 6, fallbackSlugs = [] as string[] } = {}): Promise<CatalogArticle[]> {
  const [articles, tallies] = await Promise.all([listLiveArticles(), voteTallies()]);
  return rankByHelpfulness(articles, tallies, { limit, fallbackSlugs });
}
