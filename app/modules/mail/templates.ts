// Plain-text messages. Every link is absolute, built from APP_URL by the caller.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** A ticket's mail: threaded (Message-ID, In-Reply-To, References) with the ticket's signed Reply-To; `ticketMessageId` is the agent's message whose attachments go with it. */
  thread?: { ticketId: string; ticketMessageId?: string | null };
  /** An automatic notice (a confirmation, "resolved"): sent with `Auto-Submitted: auto-replied` so that other robots don't answer it. */
  automatic?: boolean;
}

/**
 * A person's name as mail shows it: what they typed at sign-up, so on one line (no line breaks or
 * other control characters that would start a paragraph of their own) and in quotes, never
 * mistaken for our words.
 */
export function quotedName(name: string): string {
  const line = name.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ").replace(/\s+/g, " ").trim().slice(0, 100);
  return line ? `“${line}”` : "";
}

/** "Hello “Ana Souza”," — or just "Hello," for an empty name. */
export function greeting(name: string): string {
  const quoted = quotedName(name);
  return quoted ? `Hello ${quoted},` : "Hello,";
}

export function verifyEmailMessage({ to, name, link }: { to: string; name: string; link: string }): MailMessage {
  return {
    to,
    subject: "Verify your email address for badgedesk",
    text: [
      greeting(name),
      "",
      `Please confirm that ${to} is your address by opening this link:`,
      link,
      "",
      "Badges awarded to this address appear in your backpack once it is verified.",
      "The link works once and expires in 24 hours. If you did not ask for it, ignore this message.",
    ].join("\n"),
  };
}

export function passwordResetMessage({ to, name, link }: { to: string; name: string; link: string }): MailMessage {
  return {
    to,
    subject: "Reset your badgedesk password",
    text: [
      greeting(name),
      "",
      "Someone (hopefully you) asked to reset the password of your account. Choose a new one here:",
      link,
      "",
      "The link works once and expires in 1 hour. If you did not ask for it, you can ignore this message;",
      "your password stays as it is.",
    ].join("\n"),
  };
}

export function passwordChangedMessage({ to, name }: { to: string; name: string }): MailMessage {
  return {
    to,
    subject: "Your badgedesk password was changed",
    text: [
      greeting(name),
      "",
      "The password of your account was just changed and every session was signed out.",
      "If this was not you, reset your password at once and contact Customer Care.",
    ].join("\n"),
  };
}

/** To the owner of an address someone tried to sign up with: the form itself says nothing. */
export function signupAttemptMessage({ to, link }: { to: string; link: string }): MailMessage {
  return {
    to,
    subject: "Someone tried to sign up to badgedesk with your address",
    text: [
      "Hello,",
      "",
      `Someone (hopefully you) tried to create a badgedesk account with ${to}. This address already belongs to an account, so no new account was made.`,
      "",
      "If it was you, log in with this address. If you forgot your password, choose a new one here:",
      link,
      "",
      "If it was not you, you can ignore this message; nothing has changed on your account.",
    ].join("\n"),
  };
}

/** To the deleted account's primary address: what went, and what stays. */
export function accountDeletedMessage({ to, name }: { to: string; name: string }): MailMessage {
  return {
    to,
    subject: "Your badgedesk account was deleted",
    text: [
      greeting(name),
      "",
      "Your badgedesk account was deleted as you asked. Your name, password and email addresses are gone, and every session was signed out.",
      "",
      "Your badges stay with the issuers who awarded them: sign up again with the same address and they come back to your backpack.",
      "Your tickets are kept for Customer Care's records, without your name or address.",
      "",
      "If you didn't ask for this, contact Customer Care at once by replying to this message.",
    ].join("\n"),
  };
}
