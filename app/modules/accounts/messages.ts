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
