// The email channel's pipeline on the real database: each way other helpdesks' email channels
// are known to fail, with messages shaped like the mail programs people use.
import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { inboundEmails, mailOutbox, ticketAttachments, ticketMessages, tickets, undeliverableAddresses } from "#db/schema";
import { receiveEmail } from "~/modules/inbound-mail";
import { acceptHeldMessage, findTicketByGuestToken, setStatus } from "~/modules/tickets";
import { addEmail, createLearner, uniqueEmail } from "../support/factories";
import { answeredGuestTicket, emailFixture } from "../support/email";

const receive = (raw: Buffer) => receiveEmail({ raw, via: "http" });
const messagesOf = (ticketId: string) => db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId)).orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
const ticketRow = async (ticketId: string) => (await db.select().from(tickets).where(eq(tickets.id, ticketId)))[0];
const outboxCount = async () => Number((await db.select({ n: sql<number>`count(*)::int` }).from(mailOutbox))[0].n);
const ticketCount = async () => Number((await db.select({ n: sql<number>`count(*)::int` }).from(tickets))[0].n);

describe("replies join their ticket, without the quote", () => {
  test("Gmail (plain and HTML, top-posted): matched by the signed Reply-To; only the new words are kept; the ticket moves back to open", async () => {
    const t = await answeredGuestTicket();
    const result = await receive(emailFixture("gmail-reply", { FROM: t.requester, TO: t.replyTo, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference }));
    expect(result).toMatchObject({ ok: true, outcome: "reply", ticketId: t.ticketId, duplicate: false });
    const last = (await messagesOf(t.ticketId)).at(-1)!;
    expect(last).toMatchObject({ authorKind: "requester", visibility: "public", channel: "email", body: "Thanks, the badge is in my backpack now." });
    expect((await ticketRow(t.ticketId)).status).toBe("open");
  });

  test("a quote in German is cut too; a reply to plain care@ is matched by In-Reply-To", async () => {
    const t = await answeredGuestTicket();
    const result = await receive(emailFixture("gmail-reply-german", { FROM: t.requester, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference }));
    expect(result).toMatchObject({ outcome: "reply", ticketId: t.ticketId });
    expect((await messagesOf(t.ticketId)).at(-1)!.body).toBe("Danke, jetzt ist das Abzeichen da. Ich habe die Adresse bestätigt.");
  });

  test("Outlook (HTML only, an In-Reply-To we never sent): joins the thread by its Reply-To; the From:/Sent: block is cut and the HTML is plain text", async () => {
    const t = await answeredGuestTicket();
    const before = await ticketCount();
    const result = await receive(emailFixture("outlook-reply-html", { FROM: t.requester, TO: t.replyTo, REFERENCE: t.reference }));
    expect(result).toMatchObject({ outcome: "reply", ticketId: t.ticketId });
    expect(await ticketCount()).toBe(before); // no second ticket
    const body = (await messagesOf(t.ticketId)).at(-1)!.body;
    expect(body).toContain("I used ben.okafor@school.example when I enrolled.");
    expect(body).not.toContain("Which address did you use at school?");
    expect(body).not.toMatch(/<script|<p|<\/|MsoNormal/);
  });

  test("Apple Mail, answered inside the quote: the answers stay with their questions", async () => {
    const t = await answeredGuestTicket();
    await receive(emailFixture("apple-mail-inline", { FROM: t.requester, TO: t.replyTo, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference }));
    const body = (await messagesOf(t.ticketId)).at(-1)!.body;
    expect(body).toContain("chloe@lakeside.example.edu");
    expect(body).toContain("In June, after the summer course.");
    expect(body).toContain("> And when was the badge awarded?");
  });

  test("the subject's reference alone matches a reply from a verified address of the requester's account", async () => {
    const learner = await createLearner({ name: "Ben Okafor" });
    await addEmail(learner.id, "ben.second@example.test", { verified: true });
    const t = await answeredGuestTicket({ requester: learner.email });
    await db.update(tickets).set({ accountId: learner.id }).where(eq(tickets.id, t.ticketId));
    const raw = emailFixture("stranger-with-reference", { REFERENCE: t.reference }).toString().replace(/Mallory <mallory@attacker.example>/, "Ben <ben.second@example.test>");
    expect(await receive(Buffer.from(raw))).toMatchObject({ outcome: "reply", ticketId: t.ticketId });
  });
});

describe("other people never take a ticket over", () => {
  test("a reply-all from someone in CC joins the ticket as 'from someone else', hidden until an agent accepts it", async () => {
    const t = await answeredGuestTicket();
    const result = await receive(emailFixture("reply-from-cc", { TO: t.replyTo, REQUESTER: t.requester, REFERENCE: t.reference }));
    expect(result).toMatchObject({ outcome: "held", ticketId: t.ticketId });
    const held = (await messagesOf(t.ticketId)).at(-1)!;
    expect(held).toMatchObject({ held: true, visibility: "internal", emailFrom: "teacher@school.example", body: "I can confirm Ben completed the course in June." });
    expect((await ticketRow(t.ticketId)).requesterEmail).toBe(t.requester);

    expect(await acceptHeldMessage({ ticketId: t.ticketId, messageId: held.id, agentId: t.agent.id })).toEqual({ ok: true });
    expect((await messagesOf(t.ticketId)).at(-1)).toMatchObject({ held: false, visibility: "public" });
    expect((await ticketRow(t.ticketId)).requesterEmail).toBe(t.requester);
    expect(await acceptHeldMessage({ ticketId: t.ticketId, messageId: held.id, agentId: t.agent.id })).toEqual({ ok: false, reason: "not_found" });
  });

  test("a reply from a BCC'd stranger (right In-Reply-To) is held and changes neither the requester nor the status", async () => {
    const t = await answeredGuestTicket();
    expect(await receive(emailFixture("reply-from-bcc", { IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference }))).toMatchObject({ outcome: "held", ticketId: t.ticketId });
    const ticket = await ticketRow(t.ticketId);
    expect(ticket.requesterEmail).toBe(t.requester);
    expect(ticket.status).toBe("pending");
  });

  test("a stranger who types the reference in the subject opens a ticket of their own", async () => {
    const t = await answeredGuestTicket();
    const result = await receive(emailFixture("stranger-with-reference", { REFERENCE: t.reference }));
    expect(result).toMatchObject({ outcome: "new_ticket" });
    expect(result.ok && result.ticketId).not.toBe(t.ticketId);
    expect((await messagesOf(t.ticketId)).map((m) => m.body).join("\n")).not.toContain("mallory");
    expect(await ticketRow(result.ok ? result.ticketId! : "")).toMatchObject({ requesterEmail: "mallory@attacker.example", category: "other", source: "email", accountId: null });
  });

  test("a forged Reply-To signature opens nothing of the ticket it names", async () => {
    const t = await answeredGuestTicket();
    const forged = t.replyTo.replace(/\.[0-9a-f]{20}@/, ".0123456789abcdef0123@");
    const raw = emailFixture("reply-from-cc", { TO: forged, REQUESTER: "nobody@example.test", REFERENCE: "XX" }).toString().replace(/^In-Reply-To:.*\r\n/m, "");
    const result = await receive(Buffer.from(raw));
    expect(result).toMatchObject({ outcome: "new_ticket" });
    expect(result.ok && result.ticketId).not.toBe(t.ticketId);
    expect((await messagesOf(t.ticketId)).some((m) => m.emailFrom === "teacher@school.example")).toBe(false);
  });
});

describe("mail loops", () => {
  test("an out-of-office answering our notification is kept on record, never answered, and doesn't reopen a resolved ticket", async () => {
    const t = await answeredGuestTicket();
    await setStatus({ ticketId: t.ticketId, agentId: t.agent.id, status: "resolved" });
    const mails = await outboxCount();
    const result = await receive(emailFixture("out-of-office", { FROM: t.requester, TO: t.replyTo, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference }));
    expect(result).toMatchObject({ outcome: "ignored", ticketId: t.ticketId });
    expect((await ticketRow(t.ticketId)).status).toBe("resolved");
    expect(await outboxCount()).toBe(mails);
    expect((await messagesOf(t.ticketId)).at(-1)).toMatchObject({ automatic: true, visibility: "internal" });
    // …and the requester never sees it on their page.
    const [stored] = await db.select().from(inboundEmails).where(eq(inboundEmails.id, result.ok ? result.inboundEmailId : ""));
    expect(stored.kind).toBe("automatic");
  });

  test("mailing-list mail opens no ticket and gets no answer", async () => {
    const [tickets0, mails] = [await ticketCount(), await outboxCount()];
    expect(await receive(emailFixture("mailing-list"))).toMatchObject({ outcome: "ignored", ticketId: null });
    expect([await ticketCount(), await outboxCount()]).toEqual([tickets0, mails]);
  });

  test("our own mail coming back is automatic: no ticket, no answer", async () => {
    const t = await answeredGuestTicket();
    const raw = emailFixture("mailing-list", { MESSAGE_ID: t.lastSentMessageId }).toString().replace(/^(List-Unsubscribe|Precedence|List-Id):.*\r\n/gm, "");
    const mails = await outboxCount();
    expect(await receive(Buffer.from(raw))).toMatchObject({ outcome: "ignored" });
    expect(await outboxCount()).toBe(mails);
  });

  test("at most 10 automatic answers to one sender in 3 hours: the 11th email still opens its ticket, unanswered", async () => {
    const sender = uniqueEmail("chatty");
    for (let i = 0; i < 11; i++) {
      const raw = emailFixture("stranger-with-reference", { REFERENCE: `BD-0000-000${i}` }).toString().replace("mallory@attacker.example>", `${sender}>`);
      expect(await receive(Buffer.from(raw))).toMatchObject({ outcome: "new_ticket" });
    }
    const answers = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, sender));
    expect(answers).toHaveLength(10);
    expect(answers.every((m) => m.automatic)).toBe(true);
  });
});

describe("bounces", () => {
  test("a permanent DSN marks the outbox row and the address undeliverable, tells the agents on the ticket, and is never answered", async () => {
    const t = await answeredGuestTicket();
    const mails = await outboxCount();
    const result = await receive(emailFixture("dsn-bounce", { BOUNCED: t.requester, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference }));
    expect(result).toMatchObject({ outcome: "bounce", ticketId: t.ticketId });
    const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.messageId, t.lastSentMessageId));
    expect(row.bounceStatus).toBe("5.1.1");
    expect(await db.select().from(undeliverableAddresses)).toMatchObject([{ email: t.requester.toLowerCase(), status: "5.1.1" }]);
    expect((await messagesOf(t.ticketId)).at(-1)).toMatchObject({ visibility: "internal", automatic: true });
    expect((await messagesOf(t.ticketId)).at(-1)!.body).toContain(`Mail to ${t.requester.toLowerCase()} could not be delivered (5.1.1`);
    expect(await outboxCount()).toBe(mails);
  });

  test("a delay (4.x.x) is noted on the outbox row but keeps the address", async () => {
    const t = await answeredGuestTicket();
    await receive(emailFixture("dsn-bounce", { BOUNCED: t.requester, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference, STATUS: "4.4.1" }));
    expect(await db.select().from(undeliverableAddresses)).toEqual([]);
  });
});

describe("importing", () => {
  test("the same message twice (a retried POST, IMAP and webhook) is stored and written once", async () => {
    const t = await answeredGuestTicket();
    const raw = emailFixture("gmail-reply", { FROM: t.requester, TO: t.replyTo, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference });
    const [first, second] = await Promise.all([receive(raw), receive(raw)]);
    const third = await receiveEmail({ raw, via: "imap" });
    expect([first, second, third].filter((r) => r.ok && r.duplicate)).toHaveLength(2);
    expect(third).toMatchObject({ outcome: "reply", ticketId: t.ticketId });
    expect(await db.select().from(inboundEmails)).toHaveLength(1);
    expect((await messagesOf(t.ticketId)).filter((m) => m.channel === "email")).toHaveLength(1);
  });

  test("unmatched mail opens a guest ticket (category other) and is answered with its reference and private link", async () => {
    const sender = uniqueEmail("newcomer");
    const raw = emailFixture("forward-inline-images", { FROM: sender });
    const result = await receive(raw);
    expect(result).toMatchObject({ outcome: "new_ticket" });
    const ticket = await ticketRow(result.ok ? result.ticketId! : "");
    expect(ticket).toMatchObject({ requesterEmail: sender, category: "other", source: "email", accountId: null, subject: "Fwd: Your badge from Lakeside College" });
    const [answer] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, sender));
    expect(answer.subject).toBe(`[${ticket.reference}] We received your email: Fwd: Your badge from Lakeside College`);
    expect(answer.automatic).toBe(true);
    const token = /\/tickets\/guest\/([\w-]{43})/.exec(answer.textBody)![1];
    expect((await findTicketByGuestToken({ token }))?.reference).toBe(ticket.reference);
  });

  test("mail from an address verified on an account opens that account's ticket", async () => {
    const learner = await createLearner({ name: "Dev Patel" });
    const result = await receive(emailFixture("forward-inline-images", { FROM: learner.email }));
    expect(await ticketRow(result.ok ? result.ticketId! : "")).toMatchObject({ accountId: learner.id, requesterEmail: learner.email });
  });

  test("a forward's inline image becomes an attachment shown where it was; a 'PNG' that is really HTML is refused", async () => {
    const result = await receive(emailFixture("forward-inline-images", { FROM: uniqueEmail() }));
    const ticketId = result.ok ? result.ticketId! : "";
    const first = (await messagesOf(ticketId)).find((m) => m.authorKind === "requester")!;
    expect(first.body).toContain("[image: badge.png]");
    expect(await db.select({ filename: ticketAttachments.filename, inline: ticketAttachments.inline, contentType: ticketAttachments.contentType }).from(ticketAttachments)).toEqual([
      { filename: "badge.png", inline: true, contentType: "image/png" },
    ]);
    expect((await messagesOf(ticketId)).at(-1)!.body).toMatch(/invoice\.png is not a PNG, JPEG, GIF or WebP image/);
  });

  test("broken MIME is stored as it came and answered as received; nothing is lost", async () => {
    const result = await receive(emailFixture("broken-mime", { FROM: uniqueEmail("broken") }));
    expect(result.ok).toBe(true);
    const rows = await db.select().from(inboundEmails);
    expect(rows).toHaveLength(1);
    expect(rows[0].raw.toString()).toContain("SGVscCwgbXkgYmFkZ2UgaXMgbWlzc2luZw");
    expect(["processed", "failed"]).toContain(rows[0].status);
  });

  test("a message over the size limit is refused before anything is stored", async () => {
    const before = process.env.INBOUND_EMAIL_MAX_BYTES;
    process.env.INBOUND_EMAIL_MAX_BYTES = "2000";
    try {
      const raw = Buffer.concat([emailFixture("mailing-list"), Buffer.alloc(3000, "a")]);
      expect(await receive(raw)).toEqual({ ok: false, reason: "too_large" });
      expect(await db.select().from(inboundEmails)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.INBOUND_EMAIL_MAX_BYTES;
      else process.env.INBOUND_EMAIL_MAX_BYTES = before;
    }
  });
});
