// The one kind of cookie badgedesk sets for itself: HTTP-only, same-site lax, signed with the
// session secret, Secure when the app is served over https. Without a max age it lasts as long as
// the browser session.
import { createCookie } from "@remix-run/node";
import { config } from "./config.server";

export function signedCookie(name: string, { maxAgeSeconds }: { maxAgeSeconds?: number } = {}) {
  return createCookie(name, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: config.secureCookies,
    secrets: [config.sessionSecret],
    maxAge: maxAgeSeconds,
  });
}
