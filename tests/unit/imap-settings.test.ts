// IMAP polling's settings: off by default, and every mistake named at start-up in words an
// operator can act on.
import { describe, expect, test } from "vitest";
import { describeImapSettings, imapSettingsFrom } from "~/modules/inbound-mail/imap-settings";

const problemsOf = (env: Record<string, string>) => {
  const result = imapSettingsFrom(env);
  return "problems" in result ? result.problems : [];
};

describe("IMAP settings", () => {
  test("off when no IMAP_ variable is set", () => {
    expect(imapSettingsFrom({ PORT: "3000" })).toEqual({ enabled: false });
    expect(imapSettingsFrom({ IMAP_HOST: "  " })).toEqual({ enabled: false });
  });

  test("a password mailbox with the defaults: TLS on 993, INBOX, every 60 s, 5 tries", () => {
    expect(imapSettingsFrom({ IMAP_HOST: "imap.example.org", IMAP_USER: "care@example.org", IMAP_PASSWORD: "s3cret" })).toEqual({
      enabled: true,
      settings: {
        host: "imap.example.org",
        port: 993,
        tls: "on",
        auth: { method: "password", user: "care@example.org", password: "s3cret" },
        mailbox: "INBOX",
        processedMailbox: null,
        pollIntervalMs: 60_000,
        maxAttempts: 5,
      },
    });
  });

  test("STARTTLS defaults to port 143; the folders and the interval can be chosen", () => {
    const result = imapSettingsFrom({
      IMAP_HOST: "mail.example.org",
      IMAP_TLS: "STARTTLS",
      IMAP_USER: "care",
      IMAP_PASSWORD: "pw",
      IMAP_MAILBOX: "Support",
      IMAP_PROCESSED_MAILBOX: "Support/Imported",
      IMAP_POLL_SECONDS: "15",
    });
    expect(result).toMatchObject({ settings: { port: 143, tls: "starttls", mailbox: "Support", processedMailbox: "Support/Imported", pollIntervalMs: 15_000 } });
  });

  test("OAuth2 with a refresh token (Google, Microsoft 365 delegated)", () => {
    const result = imapSettingsFrom({
      IMAP_HOST: "imap.gmail.com",
      IMAP_USER: "care@example.org",
      IMAP_OAUTH_TOKEN_URL: "https://oauth2.googleapis.com/token",
      IMAP_OAUTH_CLIENT_ID: "id.apps.googleusercontent.com",
      IMAP_OAUTH_CLIENT_SECRET: "secret",
      IMAP_OAUTH_REFRESH_TOKEN: "1//refresh",
    });
    expect(result).toMatchObject({
      settings: {
        auth: { method: "oauth2", user: "care@example.org", tokenUrl: "https://oauth2.googleapis.com/token", clientId: "id.apps.googleusercontent.com", clientSecret: "secret", refreshToken: "1//refresh", scope: null },
      },
    });
    expect(describeImapSettings((result as { settings: Parameters<typeof describeImapSettings>[0] }).settings)).toBe(
      "care@example.org at imap.gmail.com:993 (TLS, OAuth2 via oauth2.googleapis.com), folder INBOX, every 60 s",
    );
  });

  test("Microsoft 365 app-only access (client credentials) needs the secret and the scope", () => {
    const base = { IMAP_HOST: "outlook.office365.com", IMAP_USER: "care@example.org", IMAP_OAUTH_TOKEN_URL: "https://login.microsoftonline.com/tenant-id/oauth2/v2.0/token", IMAP_OAUTH_CLIENT_ID: "app-id" };
    expect(problemsOf(base)).toEqual([expect.stringContaining("OAuth2 needs IMAP_OAUTH_REFRESH_TOKEN")]);
    expect(imapSettingsFrom({ ...base, IMAP_OAUTH_CLIENT_SECRET: "s", IMAP_OAUTH_SCOPE: "https://outlook.office365.com/.default" })).toMatchObject({
      settings: { auth: { method: "oauth2", refreshToken: null, scope: "https://outlook.office365.com/.default" } },
    });
  });

  test("every mistake is named, together", () => {
    expect(problemsOf({ IMAP_HOST: "imap.example.org", IMAP_TLS: "maybe", IMAP_PORT: "99999", IMAP_POLL_SECONDS: "0.5" })).toEqual([
      'IMAP_TLS is "maybe": use on (TLS from the start, port 993), starttls (port 143, upgraded) or off (localhost only).',
      'IMAP_PORT is "99999": give a port number between 1 and 65535.',
      'IMAP_POLL_SECONDS is "0.5": give a whole number of seconds, at least 1.',
      "IMAP_USER is not set: give the mailbox's user name (usually its address).",
      "No way to sign in to the mailbox: set IMAP_PASSWORD, or IMAP_OAUTH_TOKEN_URL with its client (OAuth2, Google and Microsoft 365), or IMAP_ACCESS_TOKEN.",
    ]);
  });

  test("credentials never cross the network unencrypted: TLS off is for localhost, the token endpoint must be https", () => {
    expect(problemsOf({ IMAP_HOST: "imap.example.org", IMAP_TLS: "off", IMAP_USER: "u", IMAP_PASSWORD: "p" })).toEqual([expect.stringContaining("only allowed for localhost")]);
    expect(problemsOf({ IMAP_HOST: "127.0.0.1", IMAP_TLS: "off", IMAP_USER: "u", IMAP_PASSWORD: "p" })).toEqual([]);
    expect(
      problemsOf({ IMAP_HOST: "imap.example.org", IMAP_USER: "u", IMAP_OAUTH_TOKEN_URL: "http://tokens.example.org/token", IMAP_OAUTH_CLIENT_ID: "c", IMAP_OAUTH_REFRESH_TOKEN: "r" }),
    ).toEqual(["IMAP_OAUTH_TOKEN_URL must be https:// (it carries the client secret); http://tokens.example.org/token is not."]);
  });

  test("one way to sign in, not two; settings without IMAP_HOST are a mistake, not silence", () => {
    expect(problemsOf({ IMAP_HOST: "h", IMAP_USER: "u", IMAP_PASSWORD: "p", IMAP_ACCESS_TOKEN: "t" })).toEqual(["Set only one way to sign in to the mailbox; IMAP_PASSWORD and IMAP_ACCESS_TOKEN are set."]);
    expect(problemsOf({ IMAP_USER: "care@example.org", IMAP_PASSWORD: "p" })).toEqual([
      "IMAP_USER, IMAP_PASSWORD are set but IMAP_HOST is not: set IMAP_HOST to poll a mailbox, or unset them.",
    ]);
    expect(problemsOf({ IMAP_HOST: "h", IMAP_USER: "u", IMAP_PASSWORD: "p", IMAP_PROCESSED_MAILBOX: "inbox" })).toEqual([
      "IMAP_PROCESSED_MAILBOX must be another folder than IMAP_MAILBOX (INBOX).",
    ]);
  });
});
