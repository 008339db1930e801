import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { ticketRatings } from "#db/schema";
import { findRating, findTicketByGuestToken, rateTicket, ratingPanelFor, setStatus, weeklyCsat } from "~/modules/tickets";
import { createLearner, latestMailTo, uniqueEmail } from "../support/factories";
import { fileTicket } from "./accounts-fixtures";

const DAY = 24 * 60 * 60 * 1000;

async function resolvedTicket({ guest = false } = {}) {
  const agent = await createLearner({ name: "Agent Rate", roles: ["agent"] });
  const email = uniqueEmail("rater");
  const learner = guest ? null : await createLearner({ email });
  const ticket = await fileTicket({ accountId: learner?.id ?? null, email });
  expect(await setStatus({ ticketId: ticket.id, agentId: agent.id, status: "resolved" })).toMatchObject({ ok: true });
  return { ticket, email, learner };
}

/** The private link in the resolved email, as the requester would click it. */
async function rateLinkIn(email: string) {
  const mail = await latestMailTo(email);
  const match = mail?.textBody.match(/https?:\/\/\S+\/tickets\/guest\/([A-Za-z0-9_-]{43})#how-did-we-do/);
  if (!match) throw new Error(`No rating link in:\n${mail?.textBody}`);
  return match[1];
}

describe("How did we do? (once per ticket, changeable for 7 days)", () => {
  test("the resolved email asks, with a private link that opens the ticket without signing in, also for an account's ticket", async () => {
    const { ticket, email } = await resolvedTicket();
    const mail = await latestMailTo(email);
    expect(mail?.textBody).toContain("How did we do?");
    const token = await rateLinkIn(email);
    expect((await findTicketByGuestToken({ token }))?.id).toBe(ticket.id);
  });

  test("one rating per ticket: a second one within 7 days replaces the first; after 7 days it is refused", async () => {
    const { ticket } = await resolvedTicket({ guest: true });
    const start = new Date();
    expect(await rateTicket({ ticketId: ticket.id, rating: "bad", comment: "Took a while", actorId: null, now: start })).toEqual({ ok: true, changed: false });
    expect(await rateTicket({ ticketId: ticket.id, rating: "good", comment: null, actorId: null, now: new Date(start.getTime() + 6 * DAY) })).toEqual({ ok: true, changed: true });
    expect(await db.select().from(ticketRatings).where(eq(ticketRatings.ticketId, ticket.id))).toHaveLength(1);
    expect(await findRating({ ticketId: ticket.id })).toMatchObject({ rating: "good", comment: null });

    expect(await rateTicket({ ticketId: ticket.id, rating: "bad", comment: null, actorId: null, now: new Date(start.getTime() + 7 * DAY + 1000) })).toEqual({ ok: false, reason: "locked" });
    expect(await findRating({ ticketId: ticket.id })).toMatchObject({ rating: "good" });
    expect(await ratingPanelFor({ ticketId: ticket.id, status: "resolved", now: new Date(start.getTime() + 8 * DAY) })).toMatchObject({ canRate: false, current: { rating: "good" } });
  });

  test("a ticket still being worked on can't be rated", async () => {
    const email = uniqueEmail("early");
    const ticket = await fileTicket({ email });
    expect(await rateTicket({ ticketId: ticket.id, rating: "good", comment: null, actorId: null })).toEqual({ ok: false, reason: "not_finished" });
  });

  test("the weekly CSAT share counts this week's ratings", async () => {
    const before = (await weeklyCsat({ weeks: 1 }))[0] ?? { good: 0, bad: 0 };
    const a = await resolvedTicket({ guest: true });
    const b = await resolvedTicket({ guest: true });
    await rateTicket({ ticketId: a.ticket.id, rating: "good", comment: null, actorId: null });
    await rateTicket({ ticketId: b.ticket.id, rating: "bad", comment: "Not solved", actorId: null });
    const [week] = await weeklyCsat({ weeks: 1 });
    expect(week).toMatchObject({ good: before.good + 1, bad: before.bad + 1 });
    expect(week.share).toBe(Math.round(((before.good + 1) / (before.good + before.bad + 2)) * 100));
  });
});
