import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireRoleOrNotFound } from "~/modules/auth";
import { ticketActivity } from "~/modules/tickets";

// Polled by the open ticket page (with JavaScript): who else has the ticket open, and whether it
// changed since the agent opened it. Also keeps this agent's own "is looking" mark fresh.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const agent = await requireRoleOrNotFound(request, "agent");
  const state = (new URL(request.url).searchParams.get("state") ?? "").slice(0, 100);
  const activity = await ticketActivity({ ticketId: params.ticketId ?? "", agentId: agent.id, state });
  if (!activity) throw new Response("Not found", { status: 404 });
  return data(activity, { headers: { "Cache-Control": "private, no-store" } });
}
