import { Form } from "@remix-run/react";
import { MessageWithAttachments, type AttachmentView } from "~/components/tickets/attachments";
import { StatusTag, Timestamp } from "~/components/tickets/ticket-display";
import { AGENT_STATUS_LABELS } from "~/modules/tickets/queue-rules";
import type { TicketStatus } from "~/modules/tickets/ticket-rules";

// The whole thread as staff see it. Public replies and internal notes differ in colour AND in a
// written label ("Internal note — not sent"), so no one relies on colour alone.

// Emailed messages say so, with their sender; an auto-reply and mail "from someone else" say what
// they are, and the full original is one click away.
interface EmailOriginData {
  from: string | null;
  automatic: boolean;
  held: boolean;
  originalUrl: string | null;
}

export type AgentThreadEntryData =
  | {
      kind: "message";
      id: string;
      at: Date | string;
      author: "requester" | "agent" | "other";
      authorName: string;
      body: string;
      visibility: "public" | "internal";
      email?: EmailOriginData | null;
      attachments?: AttachmentView[];
    }
  | { kind: "note"; id: string; at: Date | string; body: string; email?: EmailOriginData | null }
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
      <li className={`thread__note${entry.email?.automatic ? " thread__note--email" : ""}`}>
        {entry.body} <span className="muted">·</span> <Timestamp value={entry.at} />
        <OriginalLink email={entry.email} />
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
  const email = entry.email ?? null;
  const kind = email?.held ? "held" : entry.author === "other" ? "other" : entry.author === "requester" ? "requester" : internal ? "internal" : "public";
  const label = {
    requester: email ? "From the requester — by email" : "From the requester",
    held: `From someone else (${email?.from ?? "unknown sender"}) — not shown to the requester until you accept it`,
    other: `From someone else (${email?.from ?? "unknown sender"}) — accepted into the conversation`,
    internal: "Internal note — not sent",
    public: "Public reply — emailed",
  }[kind];
  return (
    <li className={`message message--${entry.author === "other" ? "requester" : entry.author}${internal ? " message--internal" : ""}`}>
      <p className="message__meta">
        <strong>{entry.authorName}</strong> <span className={`message__label message__label--${kind === "held" || kind === "other" ? "internal" : kind}`}>{label}</span>{" "}
        <span className="muted">
          <Timestamp value={entry.at} />
        </span>
      </p>
      <MessageWithAttachments text={entry.body} attachments={entry.attachments ?? []} />
      <OriginalLink email={email} />
      {email?.held ? (
        <Form method="post" className="message__accept">
          <input type="hidden" name="intent" value="accept-email" />
          <input type="hidden" name="messageId" value={entry.id} />
          <button type="submit" className="button button--secondary">
            Accept into the conversation
          </button>
        </Form>
      ) : null}
    </li>
  );
}

function OriginalLink({ email }: { email: EmailOriginData | null | undefined }) {
  if (!email?.originalUrl) return null;
  return (
    <p className="message__original">
      <a href={email.originalUrl}>Show the original email</a>
    </p>
  );
}
