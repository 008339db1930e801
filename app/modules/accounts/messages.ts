// Security notices about changes to a learner's addresses. Plain text; links are absolute.
import { greeting, type MailMessage } from "~/modules/mail";

export function primaryAddressChangedMessage({ to, name, newPrimary, appUrl }: { to: string; name: string; newPrimary: string; appUrl: string }): MailMessage {
  return {
    to,
    subject: "Your primary badgedesk address changed",
    text: [
      greeting(name),
      "",
      `The primary email address of your badgedesk account is now ${newPrimary}. This address (${to}) stays on your account.`,
      `Review your addresses at ${appUrl}/my/badges`,
      "",
      "If this was not you, reset your password at once and contact Customer Care.",
    ].join("\n"),
  };
}

export function addressRemovedMessage({ to, name, appUrl }: { to: string; name: string; appUrl: string }): MailMessage {
  return {
    to,
    subject: "An address was removed from your badgedesk account",
    text: [
      greeting(name),
      "",
      `${to} was removed from your badgedesk account. Badges awarded to it no longer show in that account's backpack;`,
      "they come back if the address is added and verified again.",
      `Review your addresses at ${appUrl}/my/badges`,
      "",
      "If this was not you, contact Customer Care.",
    ].join("\n"),
  };
}

// Sent by Customer Care from the account panel.

export function awardNoticeMessage({ to, badgeName, issuerName, issuedOn, appUrl }: { to: string; badgeName: string; issuerName: string; issuedOn: string; appUrl: string }): MailMessage {
  return {
    to,
    subject: `Your badge: ${badgeName}`,
    text: [
      "Hello,",
      "",
      `${issuerName} awarded the badge "${badgeName}" to ${to} on ${issuedOn}.`,
      `It shows in the backpack of the badgedesk account that holds ${to} as a verified address.`,
      `See your badges at ${appUrl}/my/badges`,
      "",
      "Customer Care sent this message again at your request.",
    ].join("\n"),
  };
}

export function pathwayInvitationMessage({ to, pathwayName, issuerName, appUrl }: { to: string; pathwayName: string; issuerName: string; appUrl: string }): MailMessage {
  return {
    to,
    subject: `Your invitation to the pathway ${pathwayName}`,
    text: [
      "Hello,",
      "",
      `${issuerName} invited you to the pathway "${pathwayName}".`,
      "To accept it, sign in, open Apps → Pathways, allow the Pathways app if asked, and look under My Pathways.",
      `Sign in at ${appUrl}/login`,
      "",
      "Customer Care sent this invitation again at your request.",
    ].join("\n"),
  };
}

export function issuerReinstatementRequestMessage({
  to,
  issuerName,
  badgeName,
  recipientEmail,
  issuedOn,
  revocation,
  learnerRequest,
  ticketReference,
  agentName,
}: {
  to: string;
  issuerName: string;
  badgeName: string;
  recipientEmail: string;
  issuedOn: string;
  revocation: { reason: string; revokedBy: string; revokedOn: string };
  learnerRequest: string;
  ticketReference: string | null;
  agentName: string;
}): MailMessage {
  const reference = ticketReference ? ` [${ticketReference}]` : "";
  return {
    to,
    subject: `Reinstatement request: ${badgeName} for ${recipientEmail}${reference}`,
    text: [
      `Hello ${issuerName},`,
      "",
      `A learner asks us to look again at a badge you revoked. Customer Care can't undo a revocation on its own:`,
      "we need your written authorisation to reinstate it (or you may award it again).",
      "",
      `Badge: ${badgeName}`,
      `Awarded to: ${recipientEmail} on ${issuedOn}`,
      `Revoked by ${revocation.revokedBy} on ${revocation.revokedOn}, reason: "${revocation.reason}"`,
      "",
      "The learner's request:",
      ...learnerRequest.split("\n").map((line) => `> ${line}`),
      "",
      `If you authorise the reinstatement, reply with your name, the date and your reference${ticketReference ? `, quoting ${ticketReference}` : ""}.`,
      "",
      `${agentName}, badgedesk Customer Care`,
    ].join("\n"),
  };
}

export function addressMovedMessage({ to, name, email, direction, appUrl }: { to: string; name: string; email: string; direction: "in" | "out"; appUrl: string }): MailMessage {
  return {
    to,
    subject: direction === "in" ? `${email} was moved to your badgedesk account` : `${email} was moved to your other badgedesk account`,
    text: [
      `Hello ${name},`,
      "",
      direction === "in"
        ? `At your request, Customer Care moved ${email} and the badges awarded to it to this account.`
        : `At your request, Customer Care moved ${email} and the badges awarded to it from this account to your other account.`,
      `Review your addresses at ${appUrl}/my/badges`,
      "",
      "If this was not you, contact Customer Care at once: the move can be undone.",
    ].join("\n"),
  };
}
