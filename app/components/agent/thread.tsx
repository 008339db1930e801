import { MessageText, StatusTag, Timestamp } from "~/components/tickets/ticket-display";
import { AGENT_STATUS_LABELS } from "~/modules/tickets/queue-rules";
import type { TicketStatus } from "~/modules/tickets/ticket-rules";

// The whole thread as staff see it. Public replies and internal notes differ in colour AND in a
// written label ("Internal note — not sent"), so no one relies on colour alone.

export type AgentThreadEntryData =
  | { kind: "message"; id: string; at: Date | string; author: "requester" | "agent"; authorName: string; body: string; visibility: "public" | "internal" }
  | { kind: "note"; id: string; at: Date | string; body: string }
  | { kind: "status"; id: string; at: Date | string; by: "requester" | "agent" | "system"; byName: string | null; from: TicketStatus; to: TicketStatus };

export function AgentThread({ entries, requesterName, label }: { entries: AgentThreadEntryData[]; requesterName: string; label: string }) {
  return (
    <ol className="thread" aria-label={label}>
      {entries.map((entry) => (
        <ThreadEntry key={`${entry.kind}-${entry.id}`} entry={entry} requesterName={requesterName} />
      ))}
    </ol>
  );
}

function ThreadEntry({ entry, requesterName }: { entry: AgentThreadEntryData; requesterName: string }) {
  if (entry.kind === "note") {
    return (
      <li className="thread__note">
        {entry.body} <span className="muted">·</span> <Timestamp value={entry.at} />
      </li>
    );
  }
  if (entry.kind === "status") {
    const who = entry.by === "requester" ? requesterName : entry.by === "agent" ? (entry.byName ?? "Customer Care") : "badgedesk";
    return (
      <li className="thread__status">
        {who} changed the status to <StatusTag status={entry.to} label={AGENT_STATUS_LABELS[entry.to]} /> <span className="muted">·</span> <Timestamp value={entry.at} />
      </li>
    );
  }
  const internal = entry.visibility === "internal";
  const kind = entry.author === "requester" ? "requester" : internal ? "internal" : "public";
  const label = { requester: "From the requester", internal: "Internal note — not sent", public: "Public reply — emailed" }[kind];
  return (
    <li className={`message message--${entry.author}${internal ? " message--internal" : ""}`}>
      <p className="message__meta">
        <strong>{entry.authorName}</strong> <span className={`message__label message__label--${kind}`}>{label}</span>{" "}
        <span className="muted">
          <Timestamp value={entry.at} />
        </span>
      </p>
      <MessageText text={entry.body} />
    </li>
  );
}
