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
  /** Whether anyone may read the development mailbox (else admins only); see devMailboxOpenTo. */
  get devMailboxOpen(): boolean {
    return devMailboxOpenTo({ setting: process.env.DEV_MAILBOX, databaseUrl: process.env.DATABASE_URL, smtpUrl: this.smtpUrl, appUrl: this.appUrl });
  },
};

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The development mailbox shows every message, password-reset links included, so it is open to
 * everyone only on a newcomer's own machine: the embedded database, no SMTP, and an http APP_URL
 * on localhost (or when DEV_MAILBOX=open says so explicitly). Anywhere else, admins only.
 */
export function devMailboxOpenTo({ setting, databaseUrl, smtpUrl, appUrl }: { setting?: string; databaseUrl?: string; smtpUrl?: string; appUrl: string }): boolean {
  if (setting === "open") return true;
  if (setting) return false;
  if (databaseUrl || smtpUrl) return false;
  try {
    const url = new URL(appUrl);
    return url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}
