// Plain-text messages about tickets. Links are absolute, built by the caller from APP_URL.
// Learner text is quoted as text; subjects are single-line (cleaned before storing).
import { greeting, type MailMessage } from "~/modules/mail/templates";
import { REPLY_ABOVE_MARKER } from "~/modules/mail/threading";

interface TicketRef {
  id: string;
  reference: string;
  subject: string;
}

// Ticket mail can be answered by email: the reply lands in the ticket, cut at this marker.
const REPLY_MARKER = [REPLY_ABOVE_MARKER, ""];

const SIGNATURE = ["", "— badgedesk Customer Care"];

function quote(text: string, maxLength = 2000): string[] {
  const body = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  // Every kind of line break starts a quoted line, so no line of theirs reads as ours.
  return body.split(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/).map((line) => `> ${line.replace(/\p{Cc}/gu, "")}`);
}

function followLines({ link, isGuestLink }: { link: string; isGuestLink: boolean }): string[] {
  return isGuestLink
    ? [
        "Follow your ticket and reply here (this is your private link; anyone who has it can read the ticket, so don't share it):",
        link,
      ]
    : ["Follow your ticket and reply here (log in with your badgedesk account):", link];
}

/**
 * A message on a ticket's thread that can be answered by email: the reference and `subject` before
 * the ticket's subject, the reply marker and the greeting above `lines`, the signature below.
 */
function answerableTicketMail({
  to,
  name,
  ticket,
  subject,
  lines,
  automatic = true,
  ticketMessageId,
}: {
  to: string;
  name: string;
  ticket: TicketRef;
  subject: string;
  lines: string[];
  automatic?: boolean;
  ticketMessageId?: string | null;
}): MailMessage {
  return {
    to,
    subject: `[${ticket.reference}] ${subject}: ${ticket.subject}`,
    thread: ticketMessageId === undefined ? { ticketId: ticket.id } : { ticketId: ticket.id, ticketMessageId },
    ...(automatic ? { automatic: true } : {}),
    text: [...REPLY_MARKER, greeting(name), "", ...lines, ...SIGNATURE].join("\n"),
  };
}

export function ticketReceivedMessage({
  to,
  name,
  ticket,
  description,
  link,
  isGuestLink,
}: {
  to: string;
  name: string;
  ticket: TicketRef;
  description: string;
  link: string;
  isGuestLink: boolean;
}): MailMessage {
  return answerableTicketMail({
    to,
    name,
    ticket,
    subject: "We received your request",
    lines: [
      `Thank you for writing to Customer Care. Your ticket ${ticket.reference} is in our queue and a person will answer you by email.`,
      "",
      ...followLines({ link, isGuestLink }),
      "",
      "What you wrote (your words, quoted as you sent them):",
      ...quote(description),
    ],
  });
}

export function ticketReplyMessage({
  to,
  name,
  ticket,
  agentName,
  reply,
  link,
  isGuestLink,
  resolved,
  rateLink = null,
  ticketMessageId,
}: {
  to: string;
  name: string;
  ticket: TicketRef;
  agentName: string;
  reply: string;
  link: string;
  isGuestLink: boolean;
  resolved: boolean;
  /** "How did we do?": the private link to the rating, for a resolved ticket. */
  rateLink?: string | null;
  /** The agent's message: its attachments go with the mail. */
  ticketMessageId?: string | null;
}): MailMessage {
  return answerableTicketMail({
    to,
    name,
    ticket,
    subject: resolved ? "Resolved" : "New reply",
    automatic: false,
    ticketMessageId,
    lines: [
      `${agentName} from Customer Care replied to your ticket ${ticket.reference}:`,
      "",
      ...quote(reply, 8000),
      "",
      ...(resolved
        ? ["We have marked the ticket resolved. If your problem isn't solved, reply or reopen it from the ticket page.", ""]
        : []),
      ...rateLines(rateLink),
      ...followLines({ link, isGuestLink }),
    ],
  });
}

export function ticketResolvedMessage({
  to,
  name,
  ticket,
  link,
  isGuestLink,
  rateLink = null,
}: {
  to: string;
  name: string;
  ticket: TicketRef;
  link: string;
  isGuestLink: boolean;
  rateLink?: string | null;
}): MailMessage {
  return answerableTicketMail({
    to,
    name,
    ticket,
    subject: "Resolved",
    lines: [
      `Customer Care has marked your ticket ${ticket.reference} resolved.`,
      "If your problem isn't solved, reply or reopen it from the ticket page and we'll pick it up again.",
      "",
      ...rateLines(rateLink),
      ...followLines({ link, isGuestLink }),
    ],
  });
}

export function guestLinksMessage({ to, tickets }: { to: string; tickets: (Omit<TicketRef, "id"> & { link: string })[] }): MailMessage {
  return {
    automatic: true,
    to,
    subject: tickets.length === 1 ? `Your link to ticket ${tickets[0].reference}` : "Your links to your badgedesk tickets",
    text: [
      "Hello,",
      "",
      "You asked for the private links to the tickets sent from this address. Each link opens one ticket;",
      "anyone who has it can read the ticket, so don't share it.",
      "",
      ...tickets.flatMap((t) => [`${t.reference} — ${t.subject}`, t.link, ""]),
      "Older links you received keep working. If you did not ask for this, you can ignore this message.",
      ...SIGNATURE,
    ].join("\n"),
  };
}

export function guestLinkReplacedMessage({ to, name, ticket, link }: { to: string; name: string; ticket: TicketRef; link: string }): MailMessage {
  return {
    to,
    subject: `[${ticket.reference}] Your new private link`,
    thread: { ticketId: ticket.id },
    automatic: true,
    text: [
      greeting(name),
      "",
      `As you asked, the earlier links to ticket ${ticket.reference} no longer work. This is your new private link:`,
      link,
      "",
      "Anyone who has it can read the ticket, so don't share it.",
      ...SIGNATURE,
    ].join("\n"),
  };
}

/** "How did we do?" in a resolved ticket's email: one link, no sign-in needed (it is the ticket's private link). */
function rateLines(rateLink: string | null): string[] {
  if (!rateLink) return [];
  return ["How did we do? Rate this ticket Good or Bad, with a comment if you like (no need to sign in):", rateLink, ""];
}

/** The automatic answer to an email that opened a ticket: its reference, where to follow it, and articles that may already answer it. */
export function ticketReceivedByEmailMessage({
  to,
  name,
  ticket,
  link,
  isGuestLink,
  suggestions,
}: {
  to: string;
  name: string;
  ticket: TicketRef;
  link: string;
  isGuestLink: boolean;
  suggestions: { title: string; url: string }[];
}): MailMessage {
  return answerableTicketMail({
    to,
    name,
    ticket,
    subject: "We received your email",
    lines: [
      `Thank you for writing to Customer Care. Your email is ticket ${ticket.reference}; a person will answer you by email. To add something, reply to this message.`,
      "",
      ...(suggestions.length
        ? ["While you wait, these articles may already answer your question:", ...suggestions.flatMap((s) => [`- ${s.title}`, `  ${s.url}`]), ""]
        : []),
      ...followLines({ link, isGuestLink }),
    ],
  });
}
