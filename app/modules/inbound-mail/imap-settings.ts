// IMAP polling's settings, read from the environment (README "Configuration"). Pure: the server
// checks them at start-up and refuses to start with a clear message rather than poll wrongly.

/** How the poller signs in to the mailbox. */
export type ImapAuth =
  | { method: "password"; user: string; password: string }
  /** A bearer token given as it is (short-lived: for trying things out, or a token refreshed outside). */
  | { method: "access-token"; user: string; accessToken: string }
  /** OAuth2: an access token fetched from `tokenUrl` and refreshed before it expires. */
  | { method: "oauth2"; user: string; tokenUrl: string; clientId: string; clientSecret: string | null; refreshToken: string | null; scope: string | null };

export interface ImapSettings {
  host: string;
  port: number;
  /** `on`: TLS from the first byte (993); `starttls`: upgrade a plain connection, required; `off`: plain text, loopback only. */
  tls: "on" | "starttls" | "off";
  auth: ImapAuth;
  /** The folder polled. */
  mailbox: string;
  /** Where imported messages are moved (null: they stay, marked \Seen). */
  processedMailbox: string | null;
  pollIntervalMs: number;
  /** A message that failed in the pipeline this many times is flagged and left alone (its raw copy is stored). */
  maxAttempts: number;
}

export type ImapSettingsResult = { enabled: false } | { enabled: true; settings: ImapSettings } | { enabled: true; problems: string[] };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** IMAP polling is off unless IMAP_HOST is set; then every other setting is checked. */
export function imapSettingsFrom(env: Record<string, string | undefined>): ImapSettingsResult {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const host = value("IMAP_HOST");
  if (!host) {
    const strays = Object.keys(env).filter((name) => name.startsWith("IMAP_") && value(name));
    return strays.length
      ? { enabled: true, problems: [`${strays.join(", ")} ${strays.length === 1 ? "is" : "are"} set but IMAP_HOST is not: set IMAP_HOST to poll a mailbox, or unset them.`] }
      : { enabled: false };
  }
  const problems: string[] = [];

  const tlsSetting = (value("IMAP_TLS") ?? "on").toLowerCase();
  const tls = tlsSetting === "on" || tlsSetting === "starttls" || tlsSetting === "off" ? tlsSetting : null;
  if (!tls) problems.push(`IMAP_TLS is "${env.IMAP_TLS}": use on (TLS from the start, port 993), starttls (port 143, upgraded) or off (localhost only).`);
  if (tls === "off" && !LOOPBACK.has(host.toLowerCase()))
    problems.push(`IMAP_TLS=off would send the mailbox's credentials unencrypted to ${host}: it is only allowed for localhost. Use IMAP_TLS=on or starttls.`);

  const portText = value("IMAP_PORT");
  const port = portText === null ? (tls === "on" ? 993 : 143) : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`IMAP_PORT is "${portText}": give a port number between 1 and 65535.`);

  const seconds = wholeNumber(value("IMAP_POLL_SECONDS"), 60);
  if (seconds === null || seconds < 1) problems.push(`IMAP_POLL_SECONDS is "${env.IMAP_POLL_SECONDS}": give a whole number of seconds, at least 1.`);
  const maxAttempts = wholeNumber(value("IMAP_MAX_ATTEMPTS"), 5);
  if (maxAttempts === null || maxAttempts < 1) problems.push(`IMAP_MAX_ATTEMPTS is "${env.IMAP_MAX_ATTEMPTS}": give a whole number, at least 1.`);

  const mailbox = value("IMAP_MAILBOX") ?? "INBOX";
  const processedMailbox = value("IMAP_PROCESSED_MAILBOX");
  if (processedMailbox && processedMailbox.toLowerCase() === mailbox.toLowerCase()) problems.push(`IMAP_PROCESSED_MAILBOX must be another folder than IMAP_MAILBOX (${mailbox}).`);

  const auth = authFrom(value, problems);
  if (problems.length || !tls || !auth || seconds === null || maxAttempts === null) return { enabled: true, problems };
  return { enabled: true, settings: { host, port, tls, auth, mailbox, processedMailbox, pollIntervalMs: seconds * 1000, maxAttempts } };
}

function authFrom(value: (name: string) => string | null, problems: string[]): ImapAuth | null {
  const user = value("IMAP_USER");
  if (!user) problems.push("IMAP_USER is not set: give the mailbox's user name (usually its address).");
  const password = value("IMAP_PASSWORD");
  const accessToken = value("IMAP_ACCESS_TOKEN");
  const tokenUrl = value("IMAP_OAUTH_TOKEN_URL");
  const given = [password && "IMAP_PASSWORD", accessToken && "IMAP_ACCESS_TOKEN", tokenUrl && "IMAP_OAUTH_TOKEN_URL"].filter(Boolean);
  if (given.length === 0) {
    problems.push("No way to sign in to the mailbox: set IMAP_PASSWORD, or IMAP_OAUTH_TOKEN_URL with its client (OAuth2, Google and Microsoft 365), or IMAP_ACCESS_TOKEN.");
    return null;
  }
  if (given.length > 1) {
    problems.push(`Set only one way to sign in to the mailbox; ${given.join(" and ")} are set.`);
    return null;
  }
  if (!user) return null;
  if (password) return { method: "password", user, password };
  if (accessToken) return { method: "access-token", user, accessToken };

  const url = parsedUrl(tokenUrl!);
  if (!url) problems.push(`IMAP_OAUTH_TOKEN_URL is "${tokenUrl}": give the provider's token endpoint, e.g. https://oauth2.googleapis.com/token.`);
  else if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname)))
    problems.push(`IMAP_OAUTH_TOKEN_URL must be https:// (it carries the client secret); ${tokenUrl} is not.`);
  const clientId = value("IMAP_OAUTH_CLIENT_ID");
  if (!clientId) problems.push("IMAP_OAUTH_CLIENT_ID is not set: give the OAuth2 client (application) id the token was issued to.");
  const clientSecret = value("IMAP_OAUTH_CLIENT_SECRET");
  const refreshToken = value("IMAP_OAUTH_REFRESH_TOKEN");
  const scope = value("IMAP_OAUTH_SCOPE");
  // Without a refresh token it is the client-credentials grant (Microsoft 365's app-only access), which needs a secret and a scope.
  if (!refreshToken && (!clientSecret || !scope))
    problems.push(
      "OAuth2 needs IMAP_OAUTH_REFRESH_TOKEN (a user's consent, Google or Microsoft 365), or, for Microsoft 365's app-only access, IMAP_OAUTH_CLIENT_SECRET and IMAP_OAUTH_SCOPE (https://outlook.office365.com/.default).",
    );
  if (!url || !clientId || (!refreshToken && (!clientSecret || !scope))) return null;
  return { method: "oauth2", user: user!, tokenUrl: url.toString(), clientId, clientSecret, refreshToken, scope };
}

/** What the start-up banner says about the mailbox, without a secret. */
export function describeImapSettings(settings: ImapSettings): string {
  const how = settings.auth.method === "password" ? "password" : settings.auth.method === "access-token" ? "OAuth2 access token" : `OAuth2 via ${new URL(settings.auth.tokenUrl).host}`;
  const moved = settings.processedMailbox ? `, imported mail moved to ${settings.processedMailbox}` : "";
  return `${settings.auth.user} at ${settings.host}:${settings.port} (${settings.tls === "on" ? "TLS" : settings.tls === "starttls" ? "STARTTLS" : "no TLS"}, ${how}), folder ${settings.mailbox}, every ${settings.pollIntervalMs / 1000} s${moved}`;
}

function wholeNumber(text: string | null, fallback: number): number | null {
  if (text === null) return fallback;
  const n = Number(text);
  return Number.isInteger(n) ? n : null;
}

function parsedUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
