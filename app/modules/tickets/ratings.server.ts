// "How did we do?" ratings: given from the ticket page or the private link in the resolved
// email, one per ticket, changeable for 7 days; and the agent desk's weekly CSAT share.
import { eq, sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { ticketRatings, tickets } from "#db/schema";
import { audit } from "~/modules/audit";
import { isUuid } from "~/lib/uuid";
import type { TicketStatus } from "#db/schema/lists";
import { csatShare, ratingLocksAt, ratingRefusal, type RatingRefusal, type RatingView, type TicketRating } from "./ratings";

export async function findRating({ ticketId }: { ticketId: string }): Promise<RatingView | null> {
  if (!isUuid(ticketId)) return null;
  const [row] = await db
    .select({ rating: ticketRatings.rating, comment: ticketRatings.comment, firstRatedAt: ticketRatings.firstRatedAt, ratedAt: ticketRatings.ratedAt })
    .from(ticketRatings)
    .where(eq(ticketRatings.ticketId, ticketId));
  return row ?? null;
}

export type RateTicketResult = { ok: true; changed: boolean } | { ok: false; reason: RatingRefusal | "not_found" };

/**
 * Records the requester's rating. The caller has checked that the requester may see the ticket
 * (signed in as its owner, or holding its private link); `actorId` is null for the link. The
 * first rating sets the 7-day window; a later one within it replaces it (same row).
 */
export async function rateTicket({
  ticketId,
  rating,
  comment,
  actorId,
  now = new Date(),
}: {
  ticketId: string;
  rating: TicketRating;
  comment: string | null;
  actorId: string | null;
  now?: Date;
}): Promise<RateTicketResult> {
  if (!isUuid(ticketId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, ticketId)).for("update");
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    const [existing] = await tx.select().from(ticketRatings).where(eq(ticketRatings.ticketId, ticketId));
    const refusal = ratingRefusal({ status: ticket.status, existing: existing ?? null, now });
    if (refusal) return { ok: false, reason: refusal } as const;
    const text = comment?.trim() ? comment.trim() : null;
    await tx
      .insert(ticketRatings)
      .values({ ticketId, rating, comment: text, firstRatedAt: now, ratedAt: now })
      .onConflictDoUpdate({ target: ticketRatings.ticketId, set: { rating, comment: text, ratedAt: now } });
    await audit(tx, {
      actorId,
      action: "ticket.rated",
      targetType: "ticket",
      targetId: ticketId,
      ticketId,
      before: existing ? { rating: existing.rating } : null,
      after: { rating, commented: text !== null, via: actorId ? "account" : "private link" },
    });
    return { ok: true, changed: Boolean(existing) } as const;
  });
}

export interface CsatWeek {
  /** Monday of the week (ISO day). */
  weekOf: string;
  good: number;
  bad: number;
  /** Good as a share of all ratings, 0–100; null when nobody rated. */
  share: number | null;
}

/** The agent desk's report: per week (Monday to Sunday, UTC), the ratings given and the share of good ones, newest week first. */
export async function weeklyCsat({ weeks = 8, now = new Date() }: { weeks?: number; now?: Date } = {}): Promise<CsatWeek[]> {
  const found = rows<{ week: string; good: number; bad: number }>(
    await db.execute(sql`
      select to_char(date_trunc('week', rated_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
        count(*) filter (where rating = 'good')::int as good,
        count(*) filter (where rating = 'bad')::int as bad
      from ticket_ratings
      where rated_at >= date_trunc('week', ${now.toISOString()}::timestamptz at time zone 'UTC') - make_interval(weeks => ${weeks - 1})
      group by 1 order by 1 desc`),
  );
  return found.map((w) => ({ weekOf: w.week, good: Number(w.good), bad: Number(w.bad), share: csatShare(Number(w.good), Number(w.bad)) }));
}

/** What the ticket page's "How did we do?" shows for this ticket now. */
export async function ratingPanelFor({ ticketId, status, now = new Date() }: { ticketId: string; status: TicketStatus; now?: Date }) {
  const existing = await findRating({ ticketId });
  const canRate = ratingRefusal({ status, existing, now }) === null;
  const locksAt = ratingLocksAt(existing);
  return {
    current: existing ? { rating: existing.rating, comment: existing.comment } : null,
    changeableUntil: canRate && locksAt ? locksAt.toISOString() : null,
    canRate,
  };
}
