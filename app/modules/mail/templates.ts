// Plain-text messages. Every link is absolute, built from APP_URL by the caller.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export function verifyEmailMessage({ to, name, link }: { to: string; name: string; link: string }): MailMessage {
  return {
    to,
    subject: "Verify your email address for badgedesk",
    text: [
      `Hello ${name},`,
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
      `Hello ${name},`,
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
      `Hello ${name},`,
      "",
      "The password of your account was just changed and every session was signed out.",
      "If this was not you, reset your password at once and contact Customer Care.",
    ].join("\n"),
  };
}
