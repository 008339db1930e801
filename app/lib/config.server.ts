// Settings read from the environment, in one place. See README "Configuration".
export const config = {
  get appUrl(): string {
    return (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
  },
  get sessionSecret(): string {
    return process.env.SESSION_SECRET ?? "badgedesk-development-secret-change-me";
  },
  get secureCookies(): boolean {
    return this.appUrl.startsWith("https://");
  },
  get smtpUrl(): string | undefined {
    return process.env.SMTP_URL || undefined;
  },
  get mailFrom(): string {
    return process.env.MAIL_FROM ?? "badgedesk Customer Care <care@badgedesk.local>";
  },
  /**
   * Who may open the development mailbox: everyone when mail is not delivered and this is a
   * local setup (DEV_MAILBOX=open, which `npm start` sets on embedded PGlite), admins otherwise.
   */
  get devMailboxOpen(): boolean {
    if (this.smtpUrl) return false;
    if (process.env.DEV_MAILBOX) return process.env.DEV_MAILBOX === "open";
    return process.env.NODE_ENV !== "production";
  },
};
