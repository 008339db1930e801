// Delivery through a real SMTP conversation: nodemailer talks to an in-process SMTP server.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { mailOutbox } from "#db/schema";
import { deliverDueMail, enqueueMail, MAX_ATTEMPTS, retryDelaySeconds } from "~/modules/mail";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../support/smtp";

let smtp: TestSmtp;
let received: ReceivedMail[];

beforeEach(async () => {
  smtp = await startTestSmtp();
  received = smtp.received;
});

afterEach(async () => {
  await smtp.close();
});

const transport = () => smtp.transport();
const from = "badgedesk <care@badgedesk.test>";

describe("mail delivery", () => {
  test("a queued message is delivered over SMTP once and marked sent", async () => {
    await enqueueMail(db, { to: "ana@example.test", subject: "Hello Ana", text: "Your ticket is open." });
    expect(await deliverDueMail({ transport: transport(), from })).toEqual({ sent: 1, failed: 0 });
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(["ana@example.test"]);
    expect(received[0].raw).toContain("Subject: Hello Ana");
    expect(received[0].raw).toContain("Your ticket is open.");
    const [row] = await db.select().from(mailOutbox);
    expect(row.status).toBe("sent");
    expect(row.sentAt).not.toBeNull();

    // Delivering again sends nothing more.
    expect(await deliverDueMail({ transport: transport(), from })).toEqual({ sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  test("two workers delivering at the same time never send a message twice", async () => {
    for (let i = 0; i < 10; i++) await enqueueMail(db, { to: `learner${i}@example.test`, subject: `Message ${i}`, text: "Hi" });
    const [a, b] = await Promise.all([deliverDueMail({ transport: transport(), from }), deliverDueMail({ transport: transport(), from })]);
    expect(a.sent + b.sent).toBe(10);
    expect(received).toHaveLength(10);
    expect(new Set(received.map((r) => r.to[0])).size).toBe(10);
  });

  test("a refused message is retried later with back-off, then delivered", async () => {
    smtp.refuseNext(1);
    await enqueueMail(db, { to: "ben@example.test", subject: "Retry me", text: "Hi Ben" });
    expect(await deliverDueMail({ transport: transport(), from })).toEqual({ sent: 0, failed: 1 });
    const [waiting] = await db.select().from(mailOutbox);
    expect(waiting.status).toBe("pending");
    expect(waiting.attempts).toBe(1);
    expect(waiting.lastError).toMatch(/busy/);
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);

    // Not due yet: nothing happens.
    expect(await deliverDueMail({ transport: transport(), from })).toEqual({ sent: 0, failed: 0 });
    await db.update(mailOutbox).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(mailOutbox.id, waiting.id));
    expect(await deliverDueMail({ transport: transport(), from })).toEqual({ sent: 1, failed: 0 });
    expect(received.map((r) => r.to[0])).toEqual(["ben@example.test"]);
  });

  test("after the last attempt a message is marked failed and left alone", async () => {
    await enqueueMail(db, { to: "nobody@example.test", subject: "Doomed", text: "…" });
    await db.update(mailOutbox).set({ attempts: MAX_ATTEMPTS - 1 });
    smtp.refuseNext(1);
    await deliverDueMail({ transport: transport(), from });
    const [row] = await db.select().from(mailOutbox);
    expect(row.status).toBe("failed");

    // Left alone: even once due again and with the server accepting mail, nothing is tried.
    await db.update(mailOutbox).set({ nextAttemptAt: new Date(0) });
    expect(await deliverDueMail({ transport: transport(), from })).toEqual({ sent: 0, failed: 0 });
    expect(received).toEqual([]);
    const [after] = await db.select().from(mailOutbox);
    expect(after).toMatchObject({ status: "failed", attempts: row.attempts });
  });

  test("back-off grows and is capped at an hour", () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(20)).toBe(3600);
  });
});

describe("ticket mail threads", () => {
  test("a ticket's mails carry Message-IDs on APP_URL's domain, In-Reply-To/References, the signed Reply-To, the reference and the marker", async () => {
    const { addAgentReply } = await import("~/modules/tickets");
    const { createAgent, createTicket } = await import("../support/factories");
    const { simpleParser } = await import("mailparser");
    const { referenceFromReplyAddress, REPLY_ABOVE_MARKER } = await import("~/modules/mail");
    const agent = await createAgent({ name: "Sam Rivera" });
    const opened = await createTicket({ requester: { name: "Guest", email: "guest@example.test" }, category: "other", subject: "Where is my badge?", description: "It never arrived." });
    await addAgentReply({ ticketId: opened.ticketId, agentId: agent.id, body: "It is on its way." });
    expect(await deliverDueMail({ transport: transport(), from })).toEqual({ sent: 2, failed: 0 });
    const [confirmation, reply] = await Promise.all(received.map((r) => simpleParser(r.raw)));
    const rows = await db.select().from(mailOutbox).orderBy(mailOutbox.createdAt);

    expect(confirmation.messageId).toMatch(/^<[0-9a-f-]{36}@badgedesk\.test>$/);
    expect(confirmation.messageId).toBe(rows[0].messageId);
    expect(confirmation.headers.get("auto-submitted")).toBe("auto-replied"); // the confirmation is automatic
    expect(reply.headers.get("auto-submitted")).toBeUndefined(); // a person's reply is not
    expect(reply.inReplyTo).toBe(confirmation.messageId);
    expect(reply.references).toBe(confirmation.messageId);
    for (const mail of [confirmation, reply]) {
      expect(mail.subject).toContain(`[${opened.reference}]`);
      expect(mail.text?.split("\n")[0]).toBe(REPLY_ABOVE_MARKER);
      const replyTo = mail.replyTo?.value[0].address ?? "";
      expect(referenceFromReplyAddress({ address: replyTo, mailFrom: from, secret: (await import("~/lib/config.server")).config.replyAddressSecret })).toBe(opened.reference);
    }
  });
});

describe("an agent's files go with the reply", () => {
  test("the reply mail carries the attachments of the agent's message", async () => {
    const { addAgentReply } = await import("~/modules/tickets");
    const { attachFiles } = await import("~/modules/attachments");
    const { createAgent, createTicket } = await import("../support/factories");
    const { simpleParser } = await import("mailparser");
    const agent = await createAgent({ name: "Sam Rivera" });
    const opened = await createTicket({ requester: { name: "Guest", email: "guest@example.test" }, category: "other", subject: "Which form?", description: "Where is the form?" });
    // The composer's files are stored on the agent's message before the mail goes out.
    const reply = await addAgentReply({ ticketId: opened.ticketId, agentId: agent.id, body: "The form is attached." });
    if (!reply.ok || !reply.messageId) throw new Error("no reply");
    await attachFiles(db, { ticketId: opened.ticketId, messageId: reply.messageId, files: [{ filename: "form.pdf", bytes: Buffer.from("%PDF-1.4\n% a form\n") }] });
    await deliverDueMail({ transport: transport(), from });
    const mails = await Promise.all(received.map((r) => simpleParser(r.raw)));
    const replyMail = mails.find((m) => m.subject?.includes("New reply"))!;
    expect(replyMail.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([["form.pdf", "application/pdf", "%PDF-1.4\n% a form\n"]]);
  });
});
