// The collision guard's fingerprint of a ticket: what an agent has seen when they opened it.
// Messages are never deleted and events only grow, so "how many messages, the newest event, who
// is assigned" changes exactly when someone adds to the thread, changes the status or reassigns.
import { sql, type SQL } from "drizzle-orm";
import { rows, type Executor } from "#db/client.server";

export interface TicketState {
  messageCount: number;
  lastEventId: number;
  assigneeId: string | null;
}

/** The ticket's state now, or null when there is no such ticket. */
export async function readTicketState(tx: Executor, ticketId: string): Promise<TicketState | null> {
  const [row] = rows<{ message_count: number | string; last_event_id: number | string; assignee_id: string | null }>(
    await tx.execute(sql`select ${threadStateColumns(ticketId)}, t.assignee_id from tickets t where t.id = ${ticketId}`),
  );
  return row ? { messageCount: Number(row.message_count), lastEventId: Number(row.last_event_id), assigneeId: row.assignee_id } : null;
}

/** The thread's part of the state (message_count, last_event_id), as columns of a caller's statement. */
export function threadStateColumns(ticketId: string): SQL {
  return sql`(select count(*) from ticket_messages m where m.ticket_id = ${ticketId}::uuid) as message_count,
             (select coalesce(max(e.id), 0) from ticket_events e where e.ticket_id = ${ticketId}::uuid) as last_event_id`;
}

/** The state as it travels in a form: "12.40.<assignee or ->". */
export function encodeTicketState(state: TicketState): string {
  return `${state.messageCount}.${state.lastEventId}.${state.assigneeId ?? "-"}`;
}

export function decodeTicketState(value: string | null | undefined): TicketState | null {
  const match = value?.match(/^(\d{1,9})\.(\d{1,18})\.([0-9a-f-]{36}|-)$/);
  if (!match) return null;
  return { messageCount: Number(match[1]), lastEventId: Number(match[2]), assigneeId: match[3] === "-" ? null : match[3] };
}
