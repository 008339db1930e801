// The editors' insights: what readers searched for and didn't find, searches whose results nobody
// opened, the articles with the most "No" votes with their open comments, and daily series for
// the charts. Reads only; marking a comment handled is the one change, audited.
import { and, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { kbFeedback, kbVotes } from "#db/schema";
import { audit } from "~/modules/audit";
import { listLiveArticles } from "./articles.server";


const since = (days: number) => sql`now() - make_interval(days => ${days})`;

export interface QueryRow {
  query: string;
  searches: number;
  lastSeen: Date;
}

async function queryRows(days: number, condition: ReturnType<typeof sql>): Promise<QueryRow[]> {
  const found = rows<{ query: string; searches: number; last_seen: string | Date }>(
    await db.execute(sql`
      select query, count(*)::int as searches, max(searched_at) as last_seen
      from kb_search_log
      where searched_at >= ${since(days)} and ${condition}
      group by query
      order by count(*) desc, max(searched_at) desc
      limit 25`),
  );
  return found.map((r) => ({ query: r.query, searches: Number(r.searches), lastSeen: new Date(r.last_seen) }));
}

/** Searches that found nothing: the articles readers miss. */
export const zeroResultSearches = (days: number) => queryRows(days, sql`result_count = 0`);

/**
 * Searches that found articles but whose results nobody opened. Only searches made with the
 * search box's script can report an opened result, so only those are counted.
 */
export const unopenedSearches = (days: number) => queryRows(days, sql`result_count > 0 and not opened and search_key is not null`);

export interface NoVotesArticle {
  articleId: string;
  title: string;
  url: string;
  yes: number;
  no: number;
  comments: { id: string; comment: string; createdAt: Date }[];
}

/** The live articles with the most "No" votes in the period, with their comments not yet handled. */
export async function mostUnhelpfulArticles(days: number): Promise<NoVotesArticle[]> {
  const tallies = await db
    .select({ articleId: kbVotes.articleId, yes: sql<number>`count(*) filter (where ${kbVotes.helpful})::int`, no: sql<number>`count(*) filter (where not ${kbVotes.helpful})::int` })
    .from(kbVotes)
    .where(gte(kbVotes.updatedAt, since(days)))
    .groupBy(kbVotes.articleId)
    .having(sql`count(*) filter (where not ${kbVotes.helpful}) > 0`)
    .orderBy(desc(sql`count(*) filter (where not ${kbVotes.helpful})`))
    .limit(10);
  if (tallies.length === 0) return [];
  const live = new Map((await listLiveArticles()).map((a) => [a.articleId, a]));
  const comments = await db
    .select({ id: kbFeedback.id, articleId: kbFeedback.articleId, comment: kbFeedback.comment, createdAt: kbFeedback.createdAt })
    .from(kbFeedback)
    .where(and(inArray(kbFeedback.articleId, tallies.map((t) => t.articleId)), isNull(kbFeedback.handledAt)))
    .orderBy(desc(kbFeedback.createdAt));
  return tallies.flatMap((t) => {
    const article = live.get(t.articleId);
    if (!article) return [];
    return [{ articleId: t.articleId, title: article.title, url: article.url, yes: Number(t.yes), no: Number(t.no), comments: comments.filter((c) => c.articleId === t.articleId).slice(0, 10) }];
  });
}

/** An editor dealt with a reader's comment: it leaves the open list. False when there is no such comment. */
export async function markCommentHandled({ feedbackId, editorId }: { feedbackId: string; editorId: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(kbFeedback)
      .set({ handledAt: sql`now()`, handledBy: editorId })
      .where(and(eq(kbFeedback.id, feedbackId), isNull(kbFeedback.handledAt)))
      .returning({ id: kbFeedback.id, articleId: kbFeedback.articleId });
    if (updated.length === 0) return (await tx.select({ id: kbFeedback.id }).from(kbFeedback).where(eq(kbFeedback.id, feedbackId))).length > 0;
    await audit(tx, { actorId: editorId, action: "kb.comment_handled", targetType: "kb_feedback", targetId: feedbackId, after: { articleId: updated[0].articleId } });
    return true;
  });
}

export interface DailyPoint {
  day: string;
  searches: number;
  zeroResults: number;
  yes: number;
  no: number;
}

/** One point per day of the period (days without activity are zeros), oldest first. */
export async function dailyActivity(days: number): Promise<DailyPoint[]> {
  const found = rows<{ day: string | Date; searches: number; zero: number; yes: number; no: number }>(
    await db.execute(sql`
      with days as (select generate_series(current_date - (${days}::int - 1), current_date, interval '1 day')::date as day),
      searches as (
        select searched_at::date as day, count(*)::int as searches, count(*) filter (where result_count = 0)::int as zero
        from kb_search_log where searched_at >= current_date - (${days}::int - 1) group by 1),
      votes as (
        select updated_at::date as day, count(*) filter (where helpful)::int as yes, count(*) filter (where not helpful)::int as no
        from kb_votes where updated_at >= current_date - (${days}::int - 1) group by 1)
      select days.day, coalesce(s.searches, 0) as searches, coalesce(s.zero, 0) as zero, coalesce(v.yes, 0) as yes, coalesce(v.no, 0) as no
      from days left join searches s on s.day = days.day left join votes v on v.day = days.day
      order by days.day`),
  );
  return found.map((r) => ({
    day: typeof r.day === "string" ? r.day.slice(0, 10) : r.day.toISOString().slice(0, 10),
    searches: Number(r.searches),
    zeroResults: Number(r.zero),
    yes: Number(r.yes),
    no: Number(r.no),
  }));
}

