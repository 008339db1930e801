// Private links for guests: a long random token in the link, only its SHA-256 in the database.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "#db/client.server";
import { ticketGuestLinks, tickets } from "#db/schema";
import { config } from "~/lib/config.server";
import { audit } from "~/modules/audit";
import { randomToken, sha256 } from "~/modules/auth";
import { enqueueMail } from "~/modules/mail";
import { guestLinkRequestsPerAddress, guestLinkRequestsPerClient, hitRateLimit } from "~/modules/rate-limit";
import { guestLinkReplacedMessage, guestLinksMessage } from "./mail-templates";

export const GUEST_LINK_PATH = "/tickets/guest/";
// 32 random bytes in base64url: 43 characters.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function guestLinkUrl(token: string): string {
  return `${config.appUrl}${GUEST_LINK_PATH}${token}`;
}

/** A new private link: the absolute URL for an email and the hash to store (never the token). */
export function newGuestToken(): { link: string; tokenHash: string } {
  const token = randomToken(32);
  return { link: guestLinkUrl(token), tokenHash: sha256(token) };
}

/**
 * A new private link to the ticket: the absolute URL for an email, and `store`, the (lazy) insert
 * of its hash, to run in the transaction that sends the email.
 */
export function newGuestLink(tx: Executor, ticketId: string) {
  const { link, tokenHash } = newGuestToken();
  return { link, store: tx.insert(ticketGuestLinks).values({ ticketId, tokenHash }) };
}

/** Stores the hash of a new token for the ticket and returns the absolute link to put in an email. */
export async function issueGuestLink(tx: Executor, ticketId: string): Promise<string> {
  const { link, store } = newGuestLink(tx, ticketId);
  await store;
  return link;
}

/** The ticket a live (unrevoked) guest token opens, or null. */
export async function ticketIdForGuestToken(tx: Executor, token: string): Promise<string | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await tx
    .select({ ticketId: ticketGuestLinks.ticketId })
    .from(ticketGuestLinks)
    .where(and(eq(ticketGuestLinks.tokenHash, sha256(token)), isNull(ticketGuestLinks.revokedAt)))
    .limit(1);
  return row?.ticketId ?? null;
}

export type ReplaceGuestLinkResult = { ok: true; email: string } | { ok: false; reason: "not_found" };

/**
 * Turns off every private link to the ticket of this token (e.g. one forwarded by mistake) and
 * emails a fresh one to the requester's address, all in one transaction.
 */
export async function replaceGuestLinks({ token }: { token: string }): Promise<ReplaceGuestLinkResult> {
  return db.transaction(async (tx) => {
    const ticketId = await ticketIdForGuestToken(tx, token);
    if (!ticketId) return { ok: false, reason: "not_found" } as const;
    const [ticket] = await tx
      .select({ id: tickets.id, reference: tickets.reference, subject: tickets.subject, requesterName: tickets.requesterName, requesterEmail: tickets.requesterEmail })
      .from(tickets)
      .where(eq(tickets.id, ticketId))
      .for("update");
    const revoked = await tx
      .update(ticketGuestLinks)
      .set({ revokedAt: new Date() })
      .where(and(eq(ticketGuestLinks.ticketId, ticketId), isNull(ticketGuestLinks.revokedAt)))
      .returning({ id: ticketGuestLinks.id });
    const link = await issueGuestLink(tx, ticketId);
    await enqueueMail(tx, guestLinkReplacedMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, link }));
    await audit(tx, { actorId: null, action: "ticket.guest_links_replaced", targetType: "ticket", targetId: ticketId, after: { revoked: revoked.length } });
    return { ok: true, email: ticket.requesterEmail } as const;
  });
}

/** Revokes every private link to a ticket (for staff tools and tests); returns how many were live. */
export async function revokeGuestLinks({ ticketId, actorId }: { ticketId: string; actorId: string | null }): Promise<number> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(ticketGuestLinks)
      .set({ revokedAt: new Date() })
      .where(and(eq(ticketGuestLinks.ticketId, ticketId), isNull(ticketGuestLinks.revokedAt)))
      .returning({ id: ticketGuestLinks.id });
    if (revoked.length > 0) {
      await audit(tx, { actorId, action: "ticket.guest_links_revoked", targetType: "ticket", targetId: ticketId, after: { revoked: revoked.length } });
    }
    return revoked.length;
  });
}

export type SendGuestLinksResult = { ok: true } | { ok: false; message: string; retryAfterSeconds: number };

const MAX_LINKS_PER_MESSAGE = 10;

/**
 * "I lost my link": emails fresh private links to the guest tickets sent from an address.
 * Answers the same whether or not there are any, so nobody learns who wrote to us.
 */
export async function emailGuestLinks({ email, clientKey }: { email: string; clientKey: string }): Promise<SendGuestLinksResult> {
  const byClient = await hitRateLimit(guestLinkRequestsPerClient(clientKey));
  if (!byClient.allowed) return { ok: false, message: "Too many requests from this network. Please try again in an hour.", retryAfterSeconds: byClient.retryAfterSeconds };
  const byAddress = await hitRateLimit(guestLinkRequestsPerAddress(email));
  if (!byAddress.allowed) return { ok: true }; // quietly: don't flood someone's inbox
  await db.transaction(async (tx) => {
    const found = await tx
      .select({ id: tickets.id, reference: tickets.reference, subject: tickets.subject, requesterEmail: tickets.requesterEmail })
      .from(tickets)
      .where(and(isNull(tickets.accountId), sql`lower(${tickets.requesterEmail}) = lower(${email.trim()})`))
      .orderBy(desc(tickets.lastActivityAt))
      .limit(MAX_LINKS_PER_MESSAGE);
    if (found.length === 0) return;
    const links = [];
    for (const ticket of found) links.push({ reference: ticket.reference, subject: ticket.subject, link: await issueGuestLink(tx, ticket.id) });
    await enqueueMail(tx, guestLinksMessage({ to: found[0].requesterEmail, tickets: links }));
    await audit(tx, { actorId: null, action: "ticket.guest_links_sent", targetType: "ticket_requester", targetId: null, after: { tickets: found.length } });
  });
  return { ok: true };
}
