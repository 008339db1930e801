import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { config } from "~/lib/config.server";
import { requireMailboxAccess } from "~/lib/mailbox-access.server";
import { isUuid } from "~/lib/uuid";
import { megabytes } from "~/modules/attachments";
import { redirectWithNotice } from "~/modules/auth";
import { replyAsRecipient } from "~/modules/inbound-mail";
import { findMailMessage } from "~/modules/mail";

export const meta: MetaFunction = () => [{ title: "Message · Development mailbox · badgedesk" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMailboxAccess(request);
  const message = params.messageId && isUuid(params.messageId) ? await findMailMessage(params.messageId) : null;
  if (!message) throw new Response("Not found", { status: 404 });
  return { to: message.toAddress, subject: message.subject, text: message.textBody, status: message.status, maxFile: megabytes(config.attachmentMaxBytes) };
}

const OUTCOME_WORDS = {
  reply: "added to its ticket as the requester's reply",
  held: "added to its ticket as mail from someone else, waiting for an agent to accept it",
  new_ticket: "opened a new ticket",
  bounce: "recorded as a bounce",
  ignored: "kept on record, without an answer (automatic mail)",
} as const;

/** Sends a reply as the recipient would, through the inbound email pipeline (a form with files; works without JavaScript). */
export async function action({ request, params }: ActionFunctionArgs) {
  await requireMailboxAccess(request);
  const messageId = params.messageId ?? "";
  if (!isUuid(messageId)) throw new Response("Not found", { status: 404 });
  // The server bounds the body first (server/request-policy.ts), so the platform's parser can read
  // the whole form: an oversized file is then refused with the reply's text kept.
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("That form could not be read. Please send it again.", { status: 400 });
  }
  const text = String(form.get("text") ?? "");
  const uploads = form.getAll("files").filter((f): f is File => typeof f === "object" && f !== null && "arrayBuffer" in f && f.size > 0);
  if (uploads.some((f) => f.size > config.attachmentMaxBytes)) {
    return data({ errors: { files: `Each file can be at most ${megabytes(config.attachmentMaxBytes)}. Choose the files again.` }, values: { text } }, { status: 400 });
  }
  if (!text.trim()) return data({ errors: { text: "Write the reply." }, values: { text } }, { status: 400 });
  const files = await Promise.all(uploads.map(async (f) => ({ filename: f.name, contentType: f.type || "application/octet-stream", bytes: Buffer.from(await f.arrayBuffer()) })));
  const result = await replyAsRecipient({ outboxId: messageId, text, files });
  if (!result.ok) {
    if (result.reason === "not_found") throw new Response("Not found", { status: 404 });
    return data({ errors: { text: "The reply is too large to send." }, values: { text } }, { status: 400 });
  }
  const what = result.outcome ? OUTCOME_WORDS[result.outcome] : "stored, but it could not be processed";
  return redirectWithNotice("/dev/mailbox", `Your reply went through the inbound email pipeline: ${what}.`);
}

/** Message text with its web links clickable; everything else stays plain text. */
function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <a key={i} href={part}>{part}</a> : part))}</>;
}

export default function MailMessage() {
  const message = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sending = useNavigation().state === "submitting";
  const errors: Record<string, string> = result?.errors ?? {};
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
      <section aria-labelledby="reply-heading" className="card">
        <h2 id="reply-heading">Reply as the recipient</h2>
        <p className="muted">
          Sends what {message.to}'s mail program would: your text above a quote of this message, threaded to it, through the same pipeline as real email.
        </p>
        <Form method="post" encType="multipart/form-data" className="form">
          <div className="field">
            <label htmlFor="reply-text">Reply</label>
            <textarea id="reply-text" name="text" rows={5} defaultValue={result?.values?.text ?? ""} aria-invalid={errors.text ? true : undefined} aria-describedby={errors.text ? "reply-text-error" : undefined} />
            {errors.text ? (
              <p className="field__error" id="reply-text-error">
                {errors.text}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="reply-files">Attach files (optional)</label>
            <input id="reply-files" type="file" name="files" multiple aria-describedby="reply-files-hint" />
            <p className="field__hint" id="reply-files-hint">
              PNG, JPEG, GIF, WebP, PDF or plain text; at most {message.maxFile} each.
            </p>
            {errors.files ? <p className="field__error" id="reply-files-error">{errors.files}</p> : null}
          </div>
          <button type="submit" className="button" disabled={sending}>
            {sending ? "Sending…" : "Send reply"}
          </button>
        </Form>
      </section>
    </>
  );
}
