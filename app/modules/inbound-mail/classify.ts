// What kind of mail came in, decided from its headers the way Zammad and osTicket do, so that
// we never answer a robot (mail loops) and a robot never reopens a ticket.
import type { InboundEmailKind } from "#db/schema/lists";

export interface MailFacts {
  /** Header values by lower-case name, as written (first occurrence). */
  header: (name: string) => string | undefined;
  fromAddress: string | null;
  contentType: string;
  /** The message's own Message-ID is one we sent: our mail came back. */
  messageIdIsOurs: boolean;
}

export interface Classification {
  kind: InboundEmailKind;
  /** Which rule decided, for the agent and the logs. */
  reason: string;
}

const AUTOMATIC_PRECEDENCE = new Set(["bulk", "list", "junk", "auto_reply"]);

export function classifyMail(mail: MailFacts): Classification {
  const contentType = mail.contentType.toLowerCase();
  if (contentType.startsWith("multipart/report") && /report-type\s*=\s*"?delivery-status/.test(contentType)) {
    return { kind: "bounce", reason: "delivery status report" };
  }
  const local = (mail.fromAddress ?? "").split("@")[0].toLowerCase();
  if (local === "mailer-daemon") return { kind: "automatic", reason: "sent by MAILER-DAEMON" };
  const returnPath = mail.header("return-path");
  if (returnPath !== undefined && /^\s*<?\s*>?\s*$/.test(returnPath)) return { kind: "automatic", reason: "empty Return-Path" };
  const autoSubmitted = mail.header("auto-submitted");
  if (autoSubmitted !== undefined && autoSubmitted.trim().toLowerCase().split(/[\s;]/)[0] !== "no") {
    return { kind: "automatic", reason: `Auto-Submitted: ${autoSubmitted.trim()}` };
  }
  const precedence = mail.header("precedence")?.trim().toLowerCase();
  if (precedence && AUTOMATIC_PRECEDENCE.has(precedence)) return { kind: "automatic", reason: `Precedence: ${precedence}` };
  for (const name of ["x-autoreply", "x-auto-response-suppress", "list-unsubscribe"]) {
    if (mail.header(name) !== undefined) return { kind: "automatic", reason: `${name} header` };
  }
  if (mail.messageIdIsOurs) return { kind: "automatic", reason: "our own message came back" };
  return { kind: "normal", reason: "written by a person" };
}

/** The Status code of a DSN's recipient: 5.x.x is permanent, 4.x.x transient. */
export function isPermanentFailure(status: string): boolean {
  return /^5\.\d{1,3}\.\d{1,3}$/.test(status.trim());
}

export interface DeliveryReport {
  recipients: { address: string; status: string; diagnostic: string | null }[];
  /** Message-IDs of the returned message (its headers come back inside the report). */
  originalMessageIds: string[];
}

/** Reads a delivery status notification (RFC 3464) from the raw message text. */
export function parseDeliveryReport(raw: string): DeliveryReport {
  const text = raw.replace(/\r\n/g, "\n");
  const bodyStart = text.indexOf("\n\n");
  const body = bodyStart < 0 ? "" : text.slice(bodyStart);
  const unfolded = body.replace(/\n[ \t]+/g, " ");
  const recipients: DeliveryReport["recipients"] = [];
  // Each per-recipient block starts with Final-Recipient (Original-Recipient may come first).
  const blocks = unfolded.split(/\n(?=Final-Recipient:)/i).slice(1);
  for (const block of blocks) {
    const address = /^Final-Recipient:\s*[^;]*;\s*<?([^\s>]+)>?/im.exec(block)?.[1];
    const status = /^Status:\s*(\d\.\d{1,3}\.\d{1,3})/im.exec(block)?.[1];
    if (!address || !status) continue;
    const diagnostic = /^Diagnostic-Code:\s*(.+)$/im.exec(block)?.[1]?.trim() ?? null;
    recipients.push({ address: address.toLowerCase(), status, diagnostic: diagnostic ? diagnostic.slice(0, 500) : null });
  }
  const originalMessageIds = Array.from(unfolded.matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim), (m) => m[1]);
  return { recipients, originalMessageIds };
}
