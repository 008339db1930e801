import { config } from "./config.server";
import { safeRedirectTarget, sameOriginPath } from "./safe-redirect";

/** Where to send the browser for a target taken from input: a path on APP_URL's origin, else "/". */
export function safeRedirect(target: unknown, fallback = "/"): string {
  return safeRedirectTarget(target, config.appUrl, fallback);
}

/** The target as a path on APP_URL's origin, or null (for routes that answer 404 instead). */
export function localPath(target: unknown): string | null {
  return sameOriginPath(target, config.appUrl);
}
