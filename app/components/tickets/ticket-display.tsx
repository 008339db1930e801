import { Fragment } from "react";
import { formatMoment } from "~/lib/dates";
import { STATUS_LABELS, STATUS_TONES, type TicketStatus } from "~/modules/tickets/ticket-rules";

/** The status as a coloured tag; `label` replaces the learner's wording (the agent desk says "Pending"). */
export function StatusTag({ status, label }: { status: TicketStatus; label?: string }) {
  const tone = STATUS_TONES[status];
  return <span className={`tag${tone === "neutral" ? "" : ` tag--${tone}`} status-tag status-tag--${status}`}>{label ?? STATUS_LABELS[status]}</span>;
}

/** A moment in time, in the app's one date format ("5 March 2024 at 14:05 UTC"), the same on the server's page and in the browser. */
export function Timestamp({ value }: { value: Date | string }) {
  const date = typeof value === "string" ? new Date(value) : value;
  return <time dateTime={Number.isNaN(date.getTime()) ? undefined : date.toISOString()}>{formatMoment(date)}</time>;
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/**
 * What someone typed, shown as text: line breaks kept, web addresses clickable, nothing
 * interpreted as HTML. A trailing full stop or bracket stays outside the link.
 */
export function MessageText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <div className="message-text">
      {parts.map((part, i) => {
        if (i % 2 === 0) return <Fragment key={i}>{part}</Fragment>;
        const trailing = part.match(/[).,;:!?'"]+$/)?.[0] ?? "";
        const href = trailing ? part.slice(0, -trailing.length) : part;
        return (
          <Fragment key={i}>
            <a href={href} rel="noopener noreferrer nofollow ugc">
              {href}
            </a>
            {trailing}
          </Fragment>
        );
      })}
    </div>
  );
}
