// A file of the ticket a guest's private link opens (only files of messages they can see).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentResponse, readAttachment } from "~/modules/attachments";
import { ticketIdOpenedBy } from "~/modules/tickets";

export async function loader({ params }: LoaderFunctionArgs) {
  const ticketId = await ticketIdOpenedBy({ kind: "guest", token: params.token ?? "" });
  const file = ticketId ? await readAttachment({ ticketId, attachmentId: params.attachmentId ?? "", publicOnly: true }) : null;
  if (!file) throw new Response("Not found", { status: 404 });
  return attachmentResponse(file);
}
