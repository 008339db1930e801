// Files from the web: the ticket form, replies (signed in and by private link) and the agent's
// composer, through Remix's own request handler as a browser posts them (multipart forms). The
// rules (type from the bytes, sizes), who may open what, and the reply mail carrying the agent's
// files over a real SMTP conversation.
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import type nodemailer from "nodemailer";
import { afterEach, describe, expect, test, vi } from "vitest";
import { db } from "#db/client.server";
import { auditLog, mailOutbox, ticketAttachments, ticketMessages, tickets } from "#db/schema";
import { deliverDueMail } from "~/modules/mail";
import { receiveEmail } from "~/modules/inbound-mail";
import * as newTicketRoute from "~/routes/tickets.new";
import * as ticketRoute from "~/routes/tickets.$ticketId";
import * as guestRoute from "~/routes/tickets.guest.$token";
import * as agentTicketRoute from "~/routes/agent.tickets.$ticketId";
import * as accountRoute from "~/routes/agent.accounts.$accountId";
import * as learnerFileRoute from "~/routes/tickets.$ticketId.attachments.$attachmentId";
import * as guestFileRoute from "~/routes/tickets.guest.$token.attachments.$attachmentId";
import * as agentFileRoute from "~/routes/agent.tickets.$ticketId.attachments.$attachmentId";
import * as mailboxMessageRoute from "~/routes/dev.mailbox.$messageId";
import { createAgent, createLearner, createTicket, latestMailTo, uniqueEmail } from "../support/factories";
import { answeredGuestTicket, emailFixture } from "../support/email";
import { fieldValue, pageText, remixPages, textOfId } from "../support/remix-pages";
import { startTestSmtp } from "../support/smtp";
import { createSessionCookie, getPage } from "./accounts-fixtures";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from("%PDF-1.4\n% the certificate\n");
// A Windows program's first bytes, renamed to look like a picture.
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), Buffer.alloc(64)]);

const page = remixPages([
  { id: "routes/tickets.new", path: "tickets/new", module: newTicketRoute },
  { id: "routes/tickets.$ticketId", path: "tickets/:ticketId", module: ticketRoute },
  { id: "routes/tickets.guest.$token", path: "tickets/guest/:token", module: guestRoute },
  { id: "routes/agent.tickets.$ticketId", path: "agent/tickets/:ticketId", module: agentTicketRoute },
  { id: "routes/agent.accounts.$accountId", path: "agent/accounts/:accountId", module: accountRoute },
  { id: "routes/tickets.$ticketId.attachments.$attachmentId", path: "tickets/:ticketId/attachments/:attachmentId", module: learnerFileRoute },
  { id: "routes/tickets.guest.$token.attachments.$attachmentId", path: "tickets/guest/:token/attachments/:attachmentId", module: guestFileRoute },
  { id: "routes/agent.tickets.$ticketId.attachments.$attachmentId", path: "agent/tickets/:ticketId/attachments/:attachmentId", module: agentFileRoute },
  { id: "routes/dev.mailbox.$messageId", path: "dev/mailbox/:messageId", module: mailboxMessageRoute },
]);

type Upload = { name: string; bytes: Buffer; type?: string };

/** A multipart form post from the page itself, as a browser sends a form with a file input. */
function postWithFiles(url: string, cookie: string, fields: Record<string, string>, files: Upload[]): Request {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) form.append("files", new File([new Uint8Array(file.bytes)], file.name, { type: file.type ?? "application/octet-stream" }));
  // A browser sends an empty part when nothing is chosen.
  if (files.length === 0) form.append("files", new File([], "", { type: "application/octet-stream" }));
  return new Request(`http://badgedesk.test${url}`, { method: "POST", headers: { Cookie: cookie, Origin: "http://badgedesk.test" }, body: form });
}

async function filesOn(messageId: string) {
  return db.select().from(ticketAttachments).where(eq(ticketAttachments.messageId, messageId)).orderBy(asc(ticketAttachments.createdAt));
}

async function messagesOf(ticketId: string) {
  return db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId)).orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
}

const guestTicketFields = (email: string) => ({
  intent: "submit",
  name: "Noor Haddad",
  email,
  category: "missing_badge",
  subject: "My badge is not in my backpack",
  description: "The workshop badge never arrived. A screenshot of my backpack is attached.",
  idempotencyKey: randomUUID(),
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the ticket form with files", () => {
  test("a guest's ticket keeps its screenshot on the first message, checked from the bytes whatever the browser said", async () => {
    const email = uniqueEmail("noor");
    const response = await page(postWithFiles("/tickets/new", "", guestTicketFields(email), [{ name: "backpack.png", bytes: PNG, type: "application/octet-stream" }]));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/tickets/received");
    const [ticket] = await db.select().from(tickets).where(eq(tickets.requesterEmail, email));
    const [first] = await messagesOf(ticket.id);
    expect((await filesOn(first.id)).map((f) => [f.filename, f.contentType, f.sizeBytes])).toEqual([["backpack.png", "image/png", PNG.length]]);
    const [created] = await db.select().from(auditLog).where(and(eq(auditLog.action, "ticket.create"), eq(auditLog.targetId, ticket.id)));
    expect(created.after).toMatchObject({ files: ["backpack.png"] });
  });

  test("a program renamed .png is refused beside the file field; everything typed comes back, nothing is stored, and the page asks for the file again", async () => {
    const email = uniqueEmail("noor");
    const fields = guestTicketFields(email);
    const response = await page(postWithFiles("/tickets/new", "", fields, [{ name: "ok.png", bytes: PNG }, { name: "holiday.png", bytes: EXE, type: "image/png" }]));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(textOfId(html, "field-files-error")).toMatch(/^holiday\.png is not a PNG, JPEG, GIF or WebP image, a PDF or a plain-text file\. Nothing was sent: choose the files again/);
    expect({ name: fieldValue(html, "name"), email: fieldValue(html, "email"), subject: fieldValue(html, "subject"), description: fieldValue(html, "description") }).toEqual({
      name: fields.name,
      email,
      subject: fields.subject,
      description: fields.description,
    });
    expect(await db.select().from(tickets).where(eq(tickets.requesterEmail, email))).toEqual([]);
    expect(await db.select().from(ticketAttachments)).toEqual([]);
  });

  test("a file over ATTACHMENT_MAX_BYTES, and files over ATTACHMENTS_PER_MESSAGE_MAX_BYTES together, are refused by name", async () => {
    vi.stubEnv("ATTACHMENT_MAX_BYTES", "2000");
    vi.stubEnv("ATTACHMENTS_PER_MESSAGE_MAX_BYTES", "3000");
    const text = (n: number) => Buffer.alloc(n, "a");
    const tooBig = await page(postWithFiles("/tickets/new", "", guestTicketFields(uniqueEmail("big")), [{ name: "log.txt", bytes: text(2001) }]));
    expect(tooBig.status).toBe(400);
    expect(textOfId(await tooBig.text(), "field-files-error")).toMatch(/^log\.txt is larger than 2 KB\./);

    const together = await page(postWithFiles("/tickets/new", "", guestTicketFields(uniqueEmail("many")), [1, 2].map((i) => ({ name: `part${i}.txt`, bytes: text(1600) }))));
    expect(together.status).toBe(400);
    expect(textOfId(await together.text(), "field-files-error")).toMatch(/^part2\.txt goes over 3 KB for one message\./);

    const fits = await page(postWithFiles("/tickets/new", "", guestTicketFields(uniqueEmail("fits")), [{ name: "a.txt", bytes: text(1500) }, { name: "b.txt", bytes: text(1500) }]));
    expect(fits.status).toBe(302);
    expect(await db.select().from(ticketAttachments)).toHaveLength(2);
  });

  test("a form that comes back for another reason names the files to choose again", async () => {
    const fields = { ...guestTicketFields(uniqueEmail("noor")), subject: "" };
    const response = await page(postWithFiles("/tickets/new", "", fields, [{ name: "backpack.png", bytes: PNG }]));
    expect(response.status).toBe(400);
    expect(pageText(await response.text())).toContain("You had chosen backpack.png. A page can't keep files when it comes back, so choose the file again before sending.");
  });

  test("a body that says it is larger than a message may be is refused before it is read (413), a broken form is a 400, not an error page", async () => {
    vi.stubEnv("ATTACHMENTS_PER_MESSAGE_MAX_BYTES", "3000");
    const headers = { "Content-Type": "multipart/form-data; boundary=x", Origin: "http://badgedesk.test" };
    const tooLarge = await page(new Request("http://badgedesk.test/tickets/new", { method: "POST", headers: { ...headers, "Content-Length": String(3000 + 1024 * 1024 + 1) }, body: "--x--\r\n" }));
    expect(tooLarge.status).toBe(413);
    const broken = await page(new Request("http://badgedesk.test/tickets/new", { method: "POST", headers, body: "this is not multipart" }));
    expect(broken.status).toBe(400);
    expect(await db.select().from(tickets)).toEqual([]);
  });

  test("a signed-in learner's ticket form takes files too, and without a file it is the form it always was", async () => {
    const learner = await createLearner({ name: "Ana Souza" });
    const cookie = await createSessionCookie(learner.id);
    const { name: _name, email: _email, ...fields } = guestTicketFields(learner.email);
    const withFile = await page(postWithFiles("/tickets/new", cookie, fields, [{ name: "certificate.pdf", bytes: PDF }]));
    expect(withFile.status).toBe(302);
    const ticketId = withFile.headers.get("Location")!.split("/").pop()!;
    const [first] = await messagesOf(ticketId);
    expect((await filesOn(first.id)).map((f) => f.contentType)).toEqual(["application/pdf"]);

    const without = await page(postWithFiles("/tickets/new", cookie, { ...fields, subject: "Another question", idempotencyKey: randomUUID() }, []));
    expect(without.status).toBe(302);
    expect(await db.select().from(ticketAttachments)).toHaveLength(1);
  });
});

describe("replies with files, and who may open them", () => {
  test("a signed-in learner replies with a PDF; they open it, another learner can't, the agent can", async () => {
    const learner = await createLearner({ name: "Ana Souza" });
    const other = await createLearner();
    const agent = await createAgent();
    const { ticketId } = await createTicket({ requester: learner });
    const cookie = await createSessionCookie(learner.id);
    const response = await page(postWithFiles(`/tickets/${ticketId}`, cookie, { intent: "reply", body: "Here is the certificate.", idempotencyKey: randomUUID() }, [{ name: "certificate.pdf", bytes: PDF }]));
    expect(response.status).toBe(302);
    const reply = (await messagesOf(ticketId)).at(-1)!;
    expect(reply.body).toBe("Here is the certificate.");
    const [file] = await filesOn(reply.id);
    expect(file).toMatchObject({ filename: "certificate.pdf", contentType: "application/pdf" });

    const ticketPage = await (await page(getPage(`/tickets/${ticketId}`, cookie))).text();
    expect(ticketPage).toContain(`href="/tickets/${ticketId}/attachments/${file.id}"`);
    const own = await page(getPage(`/tickets/${ticketId}/attachments/${file.id}`, cookie));
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Disposition")).toMatch(/^attachment; filename="certificate.pdf"/);
    expect(Buffer.from(await own.arrayBuffer())).toEqual(PDF);
    expect((await page(getPage(`/tickets/${ticketId}/attachments/${file.id}`, await createSessionCookie(other.id)))).status).toBe(404);
    expect((await page(getPage(`/agent/tickets/${ticketId}/attachments/${file.id}`, await createSessionCookie(agent.id)))).status).toBe(200);
  });

  test("a reply with a refused file is not sent; the text comes back, with the reason beside the file field", async () => {
    const learner = await createLearner();
    const { ticketId } = await createTicket({ requester: learner });
    const cookie = await createSessionCookie(learner.id);
    const before = (await messagesOf(ticketId)).length;
    const response = await page(postWithFiles(`/tickets/${ticketId}`, cookie, { intent: "reply", body: "See the picture.", idempotencyKey: randomUUID() }, [{ name: "photo.png", bytes: EXE }]));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(textOfId(html, "field-files-error")).toMatch(/^photo\.png is not a PNG/);
    expect(fieldValue(html, "body")).toBe("See the picture.");
    expect(await messagesOf(ticketId)).toHaveLength(before);
  });

  test("a guest replies through the private link with a screenshot and opens it there; a wrong link opens nothing", async () => {
    const t = await answeredGuestTicket();
    const [linkMail] = await db.select().from(mailOutbox).where(eq(mailOutbox.ticketId, t.ticketId)).orderBy(asc(mailOutbox.createdAt)).limit(1);
    const token = /\/tickets\/guest\/([\w-]{43})/.exec(linkMail.textBody)![1];
    const response = await page(postWithFiles(`/tickets/guest/${token}`, "", { intent: "reply", body: "My backpack, as it is now.", idempotencyKey: randomUUID() }, [{ name: "backpack.png", bytes: PNG }]));
    expect(response.status).toBe(302);
    const [file] = await filesOn((await messagesOf(t.ticketId)).at(-1)!.id);
    const guestPage = await (await page(getPage(`/tickets/guest/${token}`, ""))).text();
    expect(guestPage).toContain(`src="/tickets/guest/${token}/attachments/${file.id}"`);
    const served = await page(getPage(`/tickets/guest/${token}/attachments/${file.id}`, ""));
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect((await page(getPage(`/tickets/guest/${"B".repeat(43)}/attachments/${file.id}`, ""))).status).toBe(404);
  });
});

/** Runs `run` with a transport to an SMTP server of the test's own; the mails it received, parsed. */
async function withSmtp<T>(run: (transport: nodemailer.Transporter) => Promise<T>): Promise<{ result: T; mails: Awaited<ReturnType<typeof simpleParser>>[] }> {
  const smtp = await startTestSmtp();
  try {
    const result = await run(smtp.transport());
    return { result, mails: await Promise.all(smtp.received.map(({ raw }) => simpleParser(raw))) };
  } finally {
    await smtp.close();
  }
}

describe("the agent's composer with files", () => {
  async function composerFor(ticketId: string, cookie: string) {
    const html = await (await page(getPage(`/agent/tickets/${ticketId}`, cookie))).text();
    return { state: fieldValue(html, "state")!, idempotencyKey: fieldValue(html, "idempotencyKey")! };
  }

  test("a public reply's file goes with the reply mail and reaches the learner's page; an internal note's file is never shown to the learner nor mailed", async () => {
    const learner = await createLearner({ name: "Ana Souza" });
    const agent = await createAgent({ name: "Sam Rivera" });
    const { ticketId } = await createTicket({ requester: learner });
    const agentCookie = await createSessionCookie(agent.id);
    const learnerCookie = await createSessionCookie(learner.id);

    const note = await page(postWithFiles(`/agent/tickets/${ticketId}`, agentCookie, { ...(await composerFor(ticketId, agentCookie)), intent: "send", visibility: "internal", body: "Issuer's internal list attached." }, [{ name: "issuer-list.txt", bytes: Buffer.from("internal: do not share\n") }]));
    expect(note.status).toBe(302);
    const noteMessage = (await messagesOf(ticketId)).at(-1)!;
    expect(noteMessage.visibility).toBe("internal");
    const [noteFile] = await filesOn(noteMessage.id);

    const reply = await page(postWithFiles(`/agent/tickets/${ticketId}`, agentCookie, { ...(await composerFor(ticketId, agentCookie)), intent: "send", visibility: "public", body: "The form to fill in is attached." }, [{ name: "form.pdf", bytes: PDF }]));
    expect(reply.status).toBe(302);
    const replyMessage = (await messagesOf(ticketId)).at(-1)!;
    const [replyFile] = await filesOn(replyMessage.id);

    const learnerPage = pageText(await (await page(getPage(`/tickets/${ticketId}`, learnerCookie))).text());
    expect(learnerPage).toContain("form.pdf");
    expect(learnerPage).not.toContain("issuer-list.txt");
    expect((await page(getPage(`/tickets/${ticketId}/attachments/${replyFile.id}`, learnerCookie))).status).toBe(200);
    expect((await page(getPage(`/tickets/${ticketId}/attachments/${noteFile.id}`, learnerCookie))).status).toBe(404);
    expect((await page(getPage(`/agent/tickets/${ticketId}/attachments/${noteFile.id}`, agentCookie))).status).toBe(200);

    const { mails } = await withSmtp((transport) => deliverDueMail({ transport, from: "badgedesk <care@badgedesk.test>" }));
    const toLearner = mails.filter((m) => m.text?.includes("The form to fill in is attached.") || m.text?.includes("Issuer's internal list"));
    expect(toLearner).toHaveLength(1);
    expect(toLearner[0].attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([["form.pdf", "application/pdf", PDF.toString()]]);
    expect(mails.flatMap((m) => m.attachments.map((a) => a.filename))).not.toContain("issuer-list.txt");
    // The outbox row names the message; the bytes stay in the blob store.
    const replyMail = await latestMailTo(learner.email);
    expect(replyMail?.ticketMessageId).toBe(replyMessage.id);
  });

  test("a refused file keeps the draft and sends nothing; the collision guard keeps the draft and asks for the files again", async () => {
    const learner = await createLearner();
    const agent = await createAgent();
    const { ticketId } = await createTicket({ requester: learner });
    const cookie = await createSessionCookie(agent.id);
    const before = (await messagesOf(ticketId)).length;

    const refused = await page(postWithFiles(`/agent/tickets/${ticketId}`, cookie, { ...(await composerFor(ticketId, cookie)), intent: "send", visibility: "public", body: "See attached." }, [{ name: "invoice.pdf", bytes: EXE }]));
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(textOfId(refusedHtml, "composer-files-error")).toMatch(/^invoice\.pdf is not a PNG/);
    expect(fieldValue(refusedHtml, "body")).toBe("See attached.");

    const seen = await composerFor(ticketId, cookie);
    // The learner writes meanwhile.
    await page(postWithFiles(`/tickets/${ticketId}`, await createSessionCookie(learner.id), { intent: "reply", body: "Any news?", idempotencyKey: randomUUID() }, []));
    const collided = await page(postWithFiles(`/agent/tickets/${ticketId}`, cookie, { ...seen, intent: "send", visibility: "public", body: "My long answer." }, [{ name: "guide.pdf", bytes: PDF }]));
    expect(collided.status).toBe(409);
    const html = await collided.text();
    expect(fieldValue(html, "body")).toBe("My long answer.");
    expect(pageText(html)).toContain("Nothing was sent. Your draft is kept below; the files have to be chosen again");
    expect((await messagesOf(ticketId)).filter((m) => m.authorKind === "agent")).toHaveLength(0);
    expect(await messagesOf(ticketId)).toHaveLength(before + 1);
    expect(await db.select().from(ticketAttachments).where(eq(ticketAttachments.ticketId, ticketId))).toEqual([]);
  });

  test("a learner can't post files to the agent's composer", async () => {
    const learner = await createLearner();
    const { ticketId } = await createTicket({ requester: learner });
    const cookie = await createSessionCookie(learner.id);
    const response = await page(postWithFiles(`/agent/tickets/${ticketId}`, cookie, { intent: "send", visibility: "internal", body: "x", state: "x", idempotencyKey: randomUUID() }, [{ name: "a.png", bytes: PNG }]));
    expect(response.status).toBe(403);
    expect(await db.select().from(ticketAttachments)).toEqual([]);
  });
});

describe("the undeliverable mark on the account panel", () => {
  test("an address that bounced for good says Undeliverable, since when and why, and asks the agent to check it", async () => {
    const email = uniqueEmail("bounced");
    const learner = await createLearner({ name: "Ben Okafor", email });
    const t = await answeredGuestTicket({ requester: email });
    const agent = await createAgent();
    const cookie = await createSessionCookie(agent.id);
    const clean = pageText(await (await page(getPage(`/agent/accounts/${learner.id}`, cookie))).text());
    expect(clean).not.toContain("Undeliverable");

    await receiveEmail({ raw: emailFixture("dsn-bounce", { BOUNCED: email, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference }), via: "http" });
    const text = pageText(await (await page(getPage(`/agent/accounts/${learner.id}`, cookie))).text());
    expect(text).toMatch(new RegExp(`${email.replace(/[.]/g, "\\.")} Verified Primary Added .*? Undeliverable Mail to this address bounced for good on \\d+ \\w+ \\d{4} at \\d\\d:\\d\\d UTC \\(5\\.1\\.1: .*Recipient address rejected`));
    expect(text).toContain("Check the address with the learner");

    // The same mark beside the ticket, in its account panel.
    const ticketPage = pageText(await (await page(getPage(`/agent/tickets/${t.ticketId}`, cookie))).text());
    expect(ticketPage).toContain("Undeliverable Mail to this address bounced for good");
    // Only the bounced address is marked.
    const rows = await db.select().from(ticketMessages).where(and(eq(ticketMessages.ticketId, t.ticketId), eq(ticketMessages.visibility, "internal")));
    expect(rows.some((r) => r.body.includes("could not be delivered"))).toBe(true);
  });
});

describe("the development mailbox's Reply as the recipient", () => {
  test("a file over the limit is refused beside the file field, the reply's text comes back, and nothing reaches the ticket", async () => {
    vi.stubEnv("ATTACHMENT_MAX_BYTES", "2000");
    const t = await answeredGuestTicket();
    const [sent] = await db.select().from(mailOutbox).where(eq(mailOutbox.messageId, t.lastSentMessageId));
    const admin = await createLearner({ roles: ["admin"] });
    const before = await messagesOf(t.ticketId);
    const response = await page(postWithFiles(`/dev/mailbox/${sent.id}`, await createSessionCookie(admin.id), { text: "My typed reply, kept." }, [{ name: "huge.txt", bytes: Buffer.alloc(2001, "a") }]));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(textOfId(html, "reply-files-error")).toBe("Each file can be at most 2 KB. Choose the files again.");
    expect(fieldValue(html, "text")).toBe("My typed reply, kept.");
    expect(await messagesOf(t.ticketId)).toHaveLength(before.length);
  });
});
