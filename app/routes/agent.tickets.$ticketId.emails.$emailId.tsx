// "Show the original email": the message exactly as received, as plain text (never rendered).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRoleOrNotFound } from "~/modules/auth";
import { findInboundEmailForTicket } from "~/modules/inbound-mail";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  const email = await findInboundEmailForTicket({ ticketId: params.ticketId ?? "", inboundEmailId: params.emailId ?? "" });
  if (!email) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(email.raw), {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
