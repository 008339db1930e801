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
  /** Signs the per-ticket Reply-To addresses; by default derived from SESSION_SECRET. */
  get replyAddressSecret(): string {
    return process.env.REPLY_ADDRESS_SECRET || `reply-address:${this.sessionSecret}`;
  },
  /** The bearer token of POST /inbound/email; unset, the endpoint does not exist (404). */
  get inboundEmailSecret(): string | undefined {
    return process.env.INBOUND_EMAIL_SECRET || undefined;
  },
  /** The largest email POST /inbound/email and IMAP accept, raw (attachments are base64, a third larger). */
  get inboundEmailMaxBytes(): number {
    return positiveNumber(process.env.INBOUND_EMAIL_MAX_BYTES, 40 * 1024 * 1024);
  },
  get attachmentMaxBytes(): number {
    return positiveNumber(process.env.ATTACHMENT_MAX_BYTES, 10 * 1024 * 1024);
  },
  get attachmentsPerMessageMaxBytes(): number {
    return positiveNumber(process.env.ATTACHMENTS_PER_MESSAGE_MAX_BYTES, 25 * 1024 * 1024);
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

export const MIN_SESSION_SECRET_LENGTH = 32;

/**
 * Why the app must not start with this SESSION_SECRET, or null. A real deployment (NODE_ENV=
 * production as the operator set it, or an https APP_URL) needs its own long secret: with the
 * development value anyone could sign a cookie the app would believe.
 */
export function sessionSecretProblem({ secret, production, appUrl }: { secret: string | undefined; production: boolean; appUrl: string }): string | null {
  if (!production && !appUrl.startsWith("https://")) return null;
  const why = production ? "NODE_ENV is production" : `APP_URL is ${appUrl}`;
  const how = "Set it to a random value of at least 32 characters (e.g. the output of `openssl rand -base64 48`), the same on every instance.";
  if (!secret) return `SESSION_SECRET is not set, and ${why}: session cookies would be signed with a development value anyone can read. ${how}`;
  if (secret.length < MIN_SESSION_SECRET_LENGTH) return `SESSION_SECRET is only ${secret.length} characters long, and ${why}. ${how}`;
  return null;
}

function positiveNumber(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : fallback;
}
