import { Fragment, useEffect, useState } from "react";
import { STATUS_LABELS, STATUS_TONES, type TicketStatus } from "~/modules/tickets/ticket-rules";

/** The status as a coloured tag; `label` replaces the learner's wording (the agent desk says "Pending"). */
export function StatusTag({ status, label }: { status: TicketStatus; label?: string }) {
  const tone = STATUS_TONES[status];
  return <span className={`tag${tone === "neutral" ? "" : ` tag--${tone}`} status-tag status-tag--${status}`}>{label ?? STATUS_LABELS[status]}</span>;
}

const UTC_FORMAT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * A moment in time. The server writes it in UTC (it doesn't know the reader's zone); once the
 * page runs in the browser it switches to the reader's own time.
 */
export function Timestamp({ value }: { value: Date | string }) {
  const date = typeof value === "string" ? new Date(value) : value;
  const [text, setText] = useState(() => `${UTC_FORMAT.format(date)} UTC`);
  useEffect(() => {
    setText(new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date));
  }, [date.getTime()]); // eslint-disable-line react-hooks/exhaustive-deps
  return <time dateTime={date.toISOString()}>{text}</time>;
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
