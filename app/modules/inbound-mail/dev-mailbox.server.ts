// "Reply as the recipient" in the development mailbox: writes the reply a mail program would
// send (quoting the message under an attribution line, threaded, to its Reply-To) and feeds it
// to the same pipeline as real mail, so the whole loop can be tried without a mail server.
import MailComposer from "nodemailer/lib/mail-composer";
import { config } from "~/lib/config.server";
import { bareAddress, findMailWithHeaders } from "~/modules/mail";
import { receiveEmail, type ReceiveResult } from "./pipeline.server";

export async function replyAsRecipient({
  outboxId,
  text,
  files,
}: {
  outboxId: string;
  text: string;
  files: { filename: string; bytes: Buffer; contentType: string }[];
}): Promise<ReceiveResult | { ok: false; reason: "not_found" }> {
  const original = await findMailWithHeaders(outboxId);
  if (!original) return { ok: false, reason: "not_found" };
  const when = original.sentAt.toUTCString();
  const quoted = original.text.split("\n").map((line) => `> ${line}`);
  const body = [text.trim(), "", `On ${when}, ${config.mailFrom} wrote:`, "", ...quoted].join("\n");
  const references = [original.references, original.messageId].filter(Boolean).join(" ");
  const raw = await new MailComposer({
    from: original.toAddress,
    to: original.replyTo ?? bareAddress(config.mailFrom),
    subject: /^re:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`,
    text: body,
    ...(original.messageId ? { inReplyTo: original.messageId, references } : {}),
    attachments: files.map((f) => ({ filename: f.filename, content: f.bytes, contentType: f.contentType })),
  })
    .compile()
    .build();
  return receiveEmail({ raw, via: "dev_mailbox" });
}
