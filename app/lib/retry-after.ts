import type { HeadersFunction } from "@remix-run/node";

// A page answered 429 by its action must say when to come back, and mean it: the server adds a
// 60 s Retry-After to any 429 that has none (server/request-policy.ts), but that is only a floor.
// Remix leaves an action's own headers out of the page it renders unless the route's `headers`
// hands them on: routes whose action can refuse with a wait export this.

/** The route's `headers`: the loader's Cache-Control, and the action's Retry-After when it set one. */
export const withActionRetryAfter: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const headers = new Headers();
  const cacheControl = loaderHeaders.get("Cache-Control");
  if (cacheControl) headers.set("Cache-Control", cacheControl);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

/** The headers of a 429: Retry-After in whole seconds (at least 1). */
export function retryAfter(seconds: number | undefined): { "Retry-After": string } | undefined {
  return seconds === undefined ? undefined : { "Retry-After": String(Math.max(1, Math.ceil(seconds))) };
}
