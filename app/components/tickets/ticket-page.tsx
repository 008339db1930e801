import { RatingForm, type RatingFormData } from "./rating-form";
import { Form, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import {
  canRequesterClose,
  canRequesterReopen,
  CATEGORY_LABELS,
  REPLY_MAX_LENGTH,
  STATUS_EXPLANATIONS,
  type TicketCategory,
  type TicketStatus,
} from "~/modules/tickets/ticket-rules";
import { TextareaField } from "./fields";
import { MessageWithAttachments, type AttachmentView } from "./attachments";
import { FileField } from "./file-field";
import type { AttachmentLimits } from "~/modules/attachments/file-types";
import { StatusTag, Timestamp } from "./ticket-display";

// The ticket as its requester sees it (signed in or through a private link): the public thread
// with status changes, reply, close and reopen. Internal notes never reach this component.

export interface TicketPageData {
  id: string;
  reference: string;
  subject: string;
  category: TicketCategory;
  status: TicketStatus;
  requesterEmail: string;
  issuerOrBadge: string | null;
  badgeEmail: string | null;
  createdAt: Date;
  lastActivityAt: Date;
  timeline: (
    | {
        kind: "message";
        id: string;
        at: Date;
        author: "requester" | "agent" | "other";
        authorName: string;
        body: string;
        /** Each file's address is built from the page's `attachmentBase`. */
        attachments?: Omit<AttachmentView, "url">[];
      }
    | { kind: "status"; id: string; at: Date; by: "requester" | "agent" | "system"; from: TicketStatus; to: TicketStatus }
  )[];
}

export interface TicketActionResult {
  errors?: Record<string, string>;
  values?: Record<string, string>;
  /** Which form answered: the rating's errors show beside the rating, not the reply. */
  form?: "rate";
  /** The files a reply that came back had: they must be chosen again. */
  lostFiles?: string[];
}

export function TicketPage({
  ticket,
  replyKey,
  result,
  guestLink,
  rating,
  attachmentBase,
  fileLimits,
}: {
  ticket: TicketPageData;
  fileLimits: AttachmentLimits;
  /** The path files of this ticket are served under (the ticket page's own). */
  attachmentBase: string;
  replyKey: string;
  result?: TicketActionResult | null;
  /** "How did we do?", once the ticket is resolved (or was rated). */
  rating?: RatingFormData | null;
  /** On the private-link page: offer to turn the link off. */
  guestLink?: boolean;
}) {
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const ratingAnswer = result?.form === "rate" ? result : null;
  const errors = ratingAnswer ? {} : (result?.errors ?? {});
  const values = ratingAnswer ? {} : (result?.values ?? {});
  const reopensOnReply = ticket.status === "resolved" || ticket.status === "closed";
  const lastIndex = ticket.timeline.length - 1;

  return (
    <article className="ticket" aria-labelledby="ticket-title">
      <header className="ticket__header">
        <p className="ticket__reference">Ticket {ticket.reference}</p>
        <h1 id="ticket-title">{ticket.subject}</h1>
        <p className="ticket__status">
          <StatusTag status={ticket.status} /> <span>{STATUS_EXPLANATIONS[ticket.status]}</span>
        </p>
        <p>
          <a href="#reply">Go to the reply box</a>
        </p>
      </header>

      {rating && (rating.canRate || rating.current) ? (
        <RatingForm rating={rating} error={ratingAnswer?.errors?.rating ?? ratingAnswer?.errors?.comment ?? ratingAnswer?.errors?.form} values={ratingAnswer?.values} />
      ) : null}

      <dl className="ticket__details">
        <div>
          <dt>Category</dt>
          <dd>{CATEGORY_LABELS[ticket.category]}</dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>
            <Timestamp value={ticket.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Last update</dt>
          <dd>
            <Timestamp value={ticket.lastActivityAt} />
          </dd>
        </div>
        <div>
          <dt>We reply to</dt>
          <dd>{ticket.requesterEmail}</dd>
        </div>
        {ticket.issuerOrBadge ? (
          <div>
            <dt>Issuer or badge</dt>
            <dd>{ticket.issuerOrBadge}</dd>
          </div>
        ) : null}
        {ticket.badgeEmail ? (
          <div>
            <dt>Badge sent to</dt>
            <dd>{ticket.badgeEmail}</dd>
          </div>
        ) : null}
      </dl>

      <section aria-labelledby="thread-heading">
        <h2 id="thread-heading">Conversation</h2>
        <ol className="thread">
          {ticket.timeline.map((entry, index) =>
            entry.kind === "message" ? (
              <li key={`m-${entry.id}`} className={`message message--${entry.author}`} id={index === lastIndex ? "latest" : undefined}>
                <p className="message__meta">
                  <strong>{entry.author === "requester" ? "You" : entry.author === "other" ? entry.authorName : `${entry.authorName} · Customer Care`}</strong>{" "}
                  <span className="muted">
                    <Timestamp value={entry.at} />
                  </span>
                </p>
                <MessageWithAttachments
                  text={entry.body}
                  attachments={(entry.attachments ?? []).map((a) => ({ ...a, url: `${attachmentBase}/attachments/${a.id}` }))}
                />
              </li>
            ) : (
              <li key={`s-${entry.id}`} className="thread__status" id={index === lastIndex ? "latest" : undefined}>
                {entry.by === "requester" ? "You" : entry.by === "agent" ? "Customer Care" : "badgedesk"} changed the status to{" "}
                <StatusTag status={entry.to} /> <span className="muted">·</span>{" "}
                <span className="muted">
                  <Timestamp value={entry.at} />
                </span>
              </li>
            ),
          )}
        </ol>
      </section>

      <section aria-labelledby="reply-heading" id="reply" className="card ticket__reply">
        <h2 id="reply-heading">Reply</h2>
        {/* Keyed by the form token: after a sent reply the box starts empty again. */}
        <Form method="post" encType="multipart/form-data" noValidate key={values.idempotencyKey ?? replyKey}>
          <FormError message={errors.form} />
          <input type="hidden" name="intent" value="reply" />
          <input type="hidden" name="idempotencyKey" value={values.idempotencyKey ?? replyKey} />
          <TextareaField
            label="Your reply"
            name="body"
            rows={6}
            maxLength={REPLY_MAX_LENGTH}
            required
            defaultValue={values.body}
            error={errors.body}
            hint={reopensOnReply ? "Sending a reply reopens this ticket." : "Customer Care sees your reply at once; we'll email you when they answer."}
          />
          <FileField id="field-files" limits={fileLimits} error={errors.files} lostFiles={ratingAnswer ? undefined : result?.lostFiles} />
          <button type="submit" className="button" disabled={busyIntent === "reply"}>
            {busyIntent === "reply" ? "Sending…" : reopensOnReply ? "Send reply and reopen" : "Send reply"}
          </button>
        </Form>
      </section>

      <section aria-labelledby="status-heading" className="ticket__status-actions">
        <h2 id="status-heading">{canRequesterReopen(ticket.status) ? "Problem not solved?" : "Problem solved?"}</h2>
        <div className="ticket__buttons">
          {canRequesterReopen(ticket.status) ? (
            <Form method="post">
              <input type="hidden" name="intent" value="reopen" />
              <button type="submit" className="button button--quiet" disabled={busyIntent === "reopen"}>
                Reopen this ticket
              </button>
            </Form>
          ) : null}
          {canRequesterClose(ticket.status) ? (
            <Form method="post">
              <input type="hidden" name="intent" value="close" />
              <button type="submit" className="button button--quiet" disabled={busyIntent === "close"}>
                My problem is solved — close this ticket
              </button>
            </Form>
          ) : null}
        </div>
      </section>

      {guestLink ? (
        <section aria-labelledby="link-heading" className="ticket__private-link">
          <h2 id="link-heading">Your private link</h2>
          <p>
            This page opens from the link in your email, without an account. Anyone who has the link can read and answer this ticket. If you
            forwarded it by mistake, turn it off: the old links stop working and we email you a new one.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="replace-link" />
            <button type="submit" className="button button--quiet" disabled={busyIntent === "replace-link"}>
              Turn off this link and email me a new one
            </button>
          </Form>
        </section>
      ) : null}
    </article>
  );
}
