import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireMailboxAccess } from "~/lib/mailbox-access.server";
import { isUuid } from "~/lib/uuid";
import { findMailMessage } from "~/modules/mail";

export const meta: MetaFunction = () => [{ title: "Message · Development mailbox · badgedesk" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMailboxAccess(request);
  const message = isUuid(params.messageId) ? await findMailMessage(params.messageId) : null;
  if (!message) throw new Response("Not found", { status: 404 });
  return { to: message.toAddress, subject: message.subject, text: message.textBody, status: message.status };
}

/** Message text with its web links clickable; everything else stays plain text. */
function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <a key={i} href={part}>{part}</a> : part))}</>;
}

export default function MailMessage() {
  const message = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/mailbox">← All messages</Link>
      </p>
      <h1>{message.subject}</h1>
      <p className="muted">To: {message.to}</p>
      <pre className="mail">
        <TextWithLinks text={message.text} />
      </pre>
    </>
  );
}
