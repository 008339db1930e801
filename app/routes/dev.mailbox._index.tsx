import { formatMoment } from "~/lib/dates";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireMailboxAccess } from "~/lib/mailbox-access.server";
import { listMailbox } from "~/modules/mail";

export const meta: MetaFunction = () => [{ title: "Development mailbox · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMailboxAccess(request);
  const messages = await listMailbox({ limit: 200 });
  return { messages: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) };
}

export default function Mailbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Development mailbox</h1>
      <p className="muted">No SMTP server is configured, so messages stay here instead of being sent. Newest first.</p>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Queued</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <td>{m.toAddress}</td>
                <td>
                  <Link to={`/dev/mailbox/${m.id}`}>{m.subject}</Link>
                </td>
                <td>{formatMoment(m.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
