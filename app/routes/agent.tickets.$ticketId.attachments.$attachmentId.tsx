// A file of a ticket, for agents (internal notes' and held mail's files too).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentResponse, readAttachment } from "~/modules/attachments";
import { requireRoleOrNotFound } from "~/modules/auth";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  const file = await readAttachment({ ticketId: params.ticketId ?? "", attachmentId: params.attachmentId ?? "", publicOnly: false });
  if (!file) throw new Response("Not found", { status: 404 });
  return attachmentResponse(file);
}
