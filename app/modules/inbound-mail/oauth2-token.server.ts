// OAuth2 access tokens for the IMAP mailbox (Google, Microsoft 365): exchanged at the provider's
// token endpoint, kept until shortly before they expire, then exchanged again. A refresh token
// (a user's consent) or, without one, the client-credentials grant (Microsoft 365 app-only).
import type { ImapAuth } from "./imap-settings";

type OAuth2Auth = Extract<ImapAuth, { method: "oauth2" }>;

/** Exchanged this long before the expiry the provider gave, so a poll never signs in with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;
/** When the answer gives no `expires_in` (both providers do: 3600 s). */
const DEFAULT_LIFETIME_S = 1800;
const REQUEST_TIMEOUT_MS = 15_000;

export class TokenExchangeError extends Error {}

export interface AccessTokenSource {
  /** A token valid for at least a minute more. */
  get(): Promise<string>;
  /** Forgets the kept token (the server refused it), so the next `get` exchanges again. */
  forget(): void;
}

export function accessTokenSource(auth: OAuth2Auth, { now = () => Date.now() }: { now?: () => number } = {}): AccessTokenSource {
  let kept: { token: string; expiresAt: number } | null = null;
  // Providers may hand out a new refresh token with each exchange (Microsoft does); the newest is used.
  let refreshToken = auth.refreshToken;
  let pending: Promise<string> | null = null;

  const exchange = async (): Promise<string> => {
    const form = new URLSearchParams({ client_id: auth.clientId });
    if (refreshToken) {
      form.set("grant_type", "refresh_token");
      form.set("refresh_token", refreshToken);
    } else form.set("grant_type", "client_credentials");
    if (auth.clientSecret) form.set("client_secret", auth.clientSecret);
    if (auth.scope) form.set("scope", auth.scope);
    let response: Response;
    try {
      response = await fetch(auth.tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: form,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new TokenExchangeError(`the OAuth2 token endpoint ${auth.tokenUrl} did not answer (${(error as Error).message})`);
    }
    const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok || typeof answer?.access_token !== "string") {
      // The provider's own words (invalid_grant: the consent was withdrawn or the token expired), never our secrets.
      const why = answer && typeof answer.error === "string" ? `${answer.error}${typeof answer.error_description === "string" ? `: ${answer.error_description.split("\n")[0]}` : ""}` : `HTTP ${response.status}`;
      throw new TokenExchangeError(`the OAuth2 token endpoint ${auth.tokenUrl} refused the ${refreshToken ? "refresh token" : "client credentials"} (${why})`);
    }
    if (typeof answer.refresh_token === "string" && answer.refresh_token) refreshToken = answer.refresh_token;
    const lifetimeS = Number(answer.expires_in);
    kept = { token: answer.access_token, expiresAt: now() + (Number.isFinite(lifetimeS) && lifetimeS > 0 ? lifetimeS : DEFAULT_LIFETIME_S) * 1000 };
    return kept.token;
  };

  return {
    async get() {
      if (kept && kept.expiresAt - EXPIRY_MARGIN_MS > now()) return kept.token;
      // Callers at the same moment share one exchange.
      pending ??= exchange().finally(() => (pending = null));
      return pending;
    },
    forget() {
      kept = null;
    },
  };
}
