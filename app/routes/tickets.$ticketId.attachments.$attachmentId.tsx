// A file of the signed-in requester's own ticket (only files of messages they can see).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentResponse, readAttachment } from "~/modules/attachments";
import { requireUser } from "~/modules/auth";
import { ticketIdOpenedBy } from "~/modules/tickets";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const ticketId = await ticketIdOpenedBy({ kind: "account", viewerId: viewer.id, ticketId: params.ticketId ?? "" });
  const file = ticketId ? await readAttachment({ ticketId, attachmentId: params.attachmentId ?? "", publicOnly: true }) : null;
  if (!file) throw new Response("Not found", { status: 404 });
  return attachmentResponse(file);
}
