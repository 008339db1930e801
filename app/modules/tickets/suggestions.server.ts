// Article suggestions beside the ticket form, and how often they deflect a ticket: a suggestion
// was opened and the form it was shown on never became a ticket.
import { sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { ticketSuggestionEvents } from "#db/schema";
import { hitRateLimit, suggestionEventsPerClient } from "~/modules/rate-limit";

export type SuggestionEventKind = "shown" | "opened";

/**
 * Records that suggestions were shown on, or one was opened from, a form draft (the form's
 * idempotency key). Each (draft, article, kind) counts once however often it happens.
 */
export async function recordSuggestionEvents({
  draftId,
  kind,
  articleSlugs,
  query,
  clientKey,
}: {
  draftId: string;
  kind: SuggestionEventKind;
  articleSlugs: string[];
  query: string;
  clientKey?: string | null;
}): Promise<{ recorded: boolean }> {
  const slugs = [...new Set(articleSlugs.map((s) => s.trim()).filter(Boolean))].slice(0, 10);
  if (slugs.length === 0) return { recorded: false };
  if (clientKey && !(await hitRateLimit(suggestionEventsPerClient(clientKey))).allowed) return { recorded: false };
  await db
    .insert(ticketSuggestionEvents)
    .values(slugs.map((articleSlug) => ({ draftId, articleSlug: articleSlug.slice(0, 200), kind, query: query.slice(0, 500) })))
    .onConflictDoNothing();
  return { recorded: true };
}

export interface DeflectionRow {
  articleSlug: string;
  /** Forms on which the article was suggested. */
  shown: number;
  /** Forms from which the learner opened it. */
  opened: number;
  /** Opened, and the form was never sent: the article (probably) answered the question. */
  openedThenAbandoned: number;
  /** Opened, and the learner sent the ticket anyway. */
  openedThenSubmitted: number;
}

export interface DeflectionTotals {
  /** Forms on which at least one article was suggested. */
  forms: number;
  /** Forms from which the learner opened at least one suggestion. */
  formsWithOpenedSuggestion: number;
  /** ... and then never sent the form: deflected tickets. */
  deflected: number;
  /** ... and sent the ticket anyway. */
  submittedAfterOpening: number;
}

/**
 * For the editors' report: per article, how often it was suggested, opened, and then the form
 * abandoned; and the same per form in total. Drafts count when their first suggestion falls in
 * [since, until) and their last one is older than `settleMinutes`, so a learner still typing is
 * not called "abandoned" yet.
 */
export async function summarizeSuggestionDeflection({
  since,
  until = new Date(),
  settleMinutes = 60,
}: {
  since: Date;
  until?: Date;
  settleMinutes?: number;
}): Promise<{ articles: DeflectionRow[]; totals: DeflectionTotals }> {
  const settled = sql`
    select draft_id, exists (select 1 from tickets t where t.idempotency_key = e.draft_id) as submitted
    from ticket_suggestion_events e
    group by draft_id
    having min(at) >= ${since.toISOString()}::timestamptz and min(at) < ${until.toISOString()}::timestamptz
       and max(at) < now() - make_interval(mins => ${settleMinutes})`;
  const perArticle = rows<{ article_slug: string; shown: number; opened: number; abandoned: number; submitted: number }>(
    await db.execute(sql`
      with settled as (${settled}),
      per_draft as (
        select e.article_slug, s.submitted, bool_or(e.kind = 'opened') as opened
        from ticket_suggestion_events e join settled s on s.draft_id = e.draft_id
        group by e.article_slug, e.draft_id, s.submitted
      )
      select article_slug,
        count(*)::int as shown,
        count(*) filter (where opened)::int as opened,
        count(*) filter (where opened and not submitted)::int as abandoned,
        count(*) filter (where opened and submitted)::int as submitted
      from per_draft
      group by article_slug
      order by abandoned desc, opened desc, article_slug`),
  );
  const [totals] = rows<{ forms: number; opened: number; abandoned: number; submitted: number }>(
    await db.execute(sql`
      with settled as (${settled}),
      per_draft as (
        select s.draft_id, s.submitted, bool_or(e.kind = 'opened') as opened
        from ticket_suggestion_events e join settled s on s.draft_id = e.draft_id
        group by s.draft_id, s.submitted
      )
      select count(*)::int as forms,
        count(*) filter (where opened)::int as opened,
        count(*) filter (where opened and not submitted)::int as abandoned,
        count(*) filter (where opened and submitted)::int as submitted
      from per_draft`),
  );
  return {
    articles: perArticle.map((r) => ({
      articleSlug: r.article_slug,
      shown: Number(r.shown),
      opened: Number(r.opened),
      openedThenAbandoned: Number(r.abandoned),
      openedThenSubmitted: Number(r.submitted),
    })),
    totals: {
      forms: Number(totals?.forms ?? 0),
      formsWithOpenedSuggestion: Number(totals?.opened ?? 0),
      deflected: Number(totals?.abandoned ?? 0),
      submittedAfterOpening: Number(totals?.submitted ?? 0),
    },
  };
}
