// The whole received message, for the agent's "Show the original".
import { and, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { inboundEmails } from "#db/schema";
import { isUuid } from "~/lib/uuid";

/** The raw message, only when it belongs to this ticket (the caller checked the agent's role). */
export async function findInboundEmailForTicket({ ticketId, inboundEmailId }: { ticketId: string; inboundEmailId: string }) {
  if (!isUuid(ticketId) || !isUuid(inboundEmailId)) return null;
  const [row] = await db
    .select({ id: inboundEmails.id, raw: inboundEmails.raw, subject: inboundEmails.subject, fromAddress: inboundEmails.fromAddress, receivedAt: inboundEmails.receivedAt })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.id, inboundEmailId), eq(inboundEmails.ticketId, ticketId)))
    .limit(1);
  return row ?? null;
}
