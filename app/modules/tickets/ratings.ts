// "How did we do?": who may rate a ticket and when, and the words around it. Pure.
import type { TicketRating, TicketStatus } from "#db/schema/lists";

export { TICKET_RATINGS, type TicketRating } from "#db/schema/lists";

/** A rating may be changed for this long after it was first given. */
export const RATING_CHANGE_DAYS = 7;
export const RATING_COMMENT_MAX_LENGTH = 2000;

export const RATING_LABELS: Record<TicketRating, string> = { good: "Good", bad: "Bad" };

export interface RatingView {
  rating: TicketRating;
  comment: string | null;
  firstRatedAt: Date;
  ratedAt: Date;
}

/** Asked once Customer Care has finished: resolved (or closed after that). */
export function asksForRating(status: TicketStatus): boolean {
  return status === "resolved" || status === "closed";
}

/** When the rating can no longer be changed; null before the first one. */
export function ratingLocksAt(rating: Pick<RatingView, "firstRatedAt"> | null): Date | null {
  return rating ? new Date(rating.firstRatedAt.getTime() + RATING_CHANGE_DAYS * 24 * 60 * 60 * 1000) : null;
}

export type RatingRefusal = "not_finished" | "locked";

/** Why the requester may not rate (or re-rate) now, or null when they may. */
export function ratingRefusal({ status, existing, now }: { status: TicketStatus; existing: Pick<RatingView, "firstRatedAt"> | null; now: Date }): RatingRefusal | null {
  if (!asksForRating(status)) return "not_finished";
  const locksAt = ratingLocksAt(existing);
  if (locksAt && now.getTime() >= locksAt.getTime()) return "locked";
  return null;
}

export const RATING_REFUSALS: Record<RatingRefusal, string> = {
  not_finished: "You can rate the ticket once Customer Care has resolved it.",
  locked: `A rating can be changed for ${RATING_CHANGE_DAYS} days; this one can't be changed any more.`,
};

/** The share of good ratings, 0–100, rounded; null when nobody rated. */
export function csatShare(good: number, bad: number): number | null {
  const total = good + bad;
  return total > 0 ? Math.round((good / total) * 100) : null;
}
