// POST /inbound/email: one raw email (RFC 5322, Content-Type: message/rfc822) from an MTA pipe
// or a provider's inbound webhook. Authenticated by `Authorization: Bearer $INBOUND_EMAIL_SECRET`;
// without that setting the endpoint does not exist. 2xx only once the message is stored, so the
// sender retries anything else; a retry of a stored message is answered 200 and changes nothing.
import { createHash, timingSafeEqual } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { config } from "~/lib/config.server";
import { receiveEmail } from "~/modules/inbound-mail";

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });

export function loader() {
  if (!config.inboundEmailSecret) return text(404, "Not found");
  return text(405, "Send the raw message with POST.", { Allow: "POST" });
}

export async function action({ request }: ActionFunctionArgs) {
  const secret = config.inboundEmailSecret;
  if (!secret) return text(404, "Not found");
  if (request.method !== "POST") return text(405, "Send the raw message with POST.", { Allow: "POST" });
  if (!bearerMatches(request.headers.get("authorization"), secret)) return text(401, "A valid bearer token is required.", { "WWW-Authenticate": "Bearer" });
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (contentType !== "message/rfc822") return text(415, "Send the raw message as Content-Type: message/rfc822.");
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > config.inboundEmailMaxBytes) return text(413, `The message is larger than ${config.inboundEmailMaxBytes} bytes.`);
  const raw = Buffer.from(await request.arrayBuffer());
  const result = await receiveEmail({ raw, via: "http" });
  if (!result.ok) return result.reason === "too_large" ? text(413, `The message is larger than ${config.inboundEmailMaxBytes} bytes.`) : text(400, "The message is empty.");
  return Response.json(
    { id: result.inboundEmailId, duplicate: result.duplicate, status: result.status, outcome: result.outcome },
    { status: result.duplicate ? 200 : 201, headers: { "Cache-Control": "no-store" } },
  );
}

/** Compares digests, so the time taken says nothing about how much of the token was right. */
function bearerMatches(header: string | null, secret: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!match) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(secret));
}
