import { Form } from "@remix-run/react";
import { PathLink } from "~/components/path-link";
import { StatusTag, Timestamp } from "~/components/tickets/ticket-display";
import { AGENT_STATUS_LABELS } from "~/modules/tickets/queue-rules";
import type { TicketStatus } from "~/modules/tickets/ticket-rules";

// Beside the ticket: who works on it (assign to me / another agent / back to the queue) and the
// requester's account. The account panel of the accounts context goes in the marked <aside>.

/** One option per agent, for the assignee selects of the queue and the ticket. */
export function AgentOptions({ agents }: { agents: { id: string; name: string }[] }) {
  return agents.map((a) => (
    <option key={a.id} value={a.id}>
      {a.name}
    </option>
  ));
}

export function AssignPanel({ assigneeId, agents, me }: { assigneeId: string | null; agents: { id: string; name: string }[]; me: string }) {
  return (
    <section className="card" aria-labelledby="assign-heading">
      <h2 id="assign-heading">Assignee</h2>
      <p>{assigneeId ? (assigneeId === me ? "You" : (agents.find((a) => a.id === assigneeId)?.name ?? "Another agent")) : "Nobody yet"}</p>
      {assigneeId !== me ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="assign" />
          <input type="hidden" name="assigneeId" value="me" />
          <button type="submit" className="button button--small">
            Assign to me
          </button>
        </Form>
      ) : null}
      <Form method="post" className="assign-form">
        <input type="hidden" name="intent" value="assign" />
        <div className="field">
          <label htmlFor="assign-to">Assign to</label>
          <select id="assign-to" name="assigneeId" defaultValue={assigneeId ?? ""}>
            <option value="">Nobody (back to the queue)</option>
            <AgentOptions agents={agents} />
          </select>
        </div>
        <button type="submit" className="button button--small button--quiet">
          Assign
        </button>
      </Form>
    </section>
  );
}

export function RequesterTickets({ tickets }: { tickets: { id: string; reference: string; subject: string; status: TicketStatus; lastActivityAt: Date | string }[] }) {
  return (
    <section aria-labelledby="other-tickets-heading">
      <h3 id="other-tickets-heading">Their other tickets</h3>
      {tickets.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {tickets.map((t) => (
            <li key={t.id}>
              <PathLink to={`/agent/tickets/${t.id}`}>{t.subject}</PathLink> <StatusTag status={t.status} label={AGENT_STATUS_LABELS[t.status]} />
              <br />
              <span className="muted">
                {t.reference} · <Timestamp value={t.lastActivityAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
