// Email fixtures (tests/fixtures/email) filled in for a ticket under test, and that ticket.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { mailOutbox } from "#db/schema";
import { config } from "~/lib/config.server";
import { replyAddressFor } from "~/modules/mail";
import { addAgentReply, openTicket } from "~/modules/tickets";
import { createLearner, uniqueEmail } from "./factories";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/email");

export type FixtureName =
  | "gmail-reply"
  | "gmail-reply-german"
  | "outlook-reply-html"
  | "apple-mail-inline"
  | "reply-from-cc"
  | "reply-from-bcc"
  | "stranger-with-reference"
  | "out-of-office"
  | "dsn-bounce"
  | "mailing-list"
  | "forward-inline-images"
  | "broken-mime";

/** A fixture with its placeholders filled, line endings as on the wire (CRLF). `{{MESSAGE_ID}}` is fresh each call unless given. */
export function emailFixture(name: FixtureName, values: Record<string, string> = {}): Buffer {
  const filled = { MESSAGE_ID: `<${randomUUID()}@mail.example>`, TO: "care@badgedesk.local", STATUS: "5.1.1", ...values };
  const text = fs.readFileSync(path.join(FIXTURES, `${name}.eml`), "utf8").replace(/\{\{(\w+)\}\}/g, (_, key: string) => filled[key as keyof typeof filled] ?? `{{${key}}}`);
  return Buffer.from(text.replace(/\r?\n/g, "\r\n"), "utf8");
}

/** A guest's ticket that an agent answered: what a reply by email refers to. */
export async function answeredGuestTicket({ requester = uniqueEmail("guest") }: { requester?: string } = {}) {
  const agent = await createLearner({ name: "Sam Rivera", roles: ["agent"] });
  const opened = await openTicket({
    requester: { accountId: null, name: "Ben Okafor", email: requester },
    category: "missing_badge",
    subject: "Where is my badge?",
    description: "My Data Literacy badge never arrived.",
    source: "web",
    idempotencyKey: randomUUID(),
  });
  if (!opened.ok) throw new Error(JSON.stringify(opened.errors));
  await addAgentReply({ ticketId: opened.ticketId, agentId: agent.id, body: "Which address did you use at school?", status: "pending" });
  const [sent] = await db.select().from(mailOutbox).where(eq(mailOutbox.ticketId, opened.ticketId)).orderBy(desc(mailOutbox.createdAt)).limit(1);
  return {
    agent,
    ticketId: opened.ticketId,
    reference: opened.reference,
    requester,
    replyTo: replyAddressFor({ reference: opened.reference, mailFrom: config.mailFrom, secret: config.replyAddressSecret }),
    lastSentMessageId: sent.messageId!,
  };
}
