// Files by email and the development mailbox: who may open them, how they are served, and the
// rules on type and size.
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { attachmentBlobs, mailOutbox, ticketAttachments, ticketMessages } from "#db/schema";
import { replyAsRecipient } from "~/modules/inbound-mail";
import { loader as agentFile } from "~/routes/agent.tickets.$ticketId.attachments.$attachmentId";
import { loader as agentOriginal } from "~/routes/agent.tickets.$ticketId.emails.$emailId";
import { loader as guestFile } from "~/routes/tickets.guest.$token.attachments.$attachmentId";
import { loader as learnerFile } from "~/routes/tickets.$ticketId.attachments.$attachmentId";
import { createLearner } from "../support/factories";
import { answeredGuestTicket } from "../support/email";
import { createSessionCookie, getPage } from "./accounts-fixtures";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const args = (request: Request, params: Record<string, string>) => ({ request, params, context: {} as never });
async function status(promise: Promise<Response>): Promise<Response> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

async function guestReplyWithScreenshot() {
  const t = await answeredGuestTicket();
  const [sent] = await db.select().from(mailOutbox).where(eq(mailOutbox.messageId, t.lastSentMessageId));
  const result = await replyAsRecipient({
    outboxId: sent.id,
    text: "Here is what I see:",
    files: [
      { filename: "screenshot.png", bytes: PNG, contentType: "image/png" },
      { filename: "notes.html", bytes: Buffer.from("<html><script>alert(1)</script></html>"), contentType: "text/plain" },
    ],
  });
  const guestLink = /\/tickets\/guest\/([\w-]{43})/.exec(sent.textBody)![1];
  return { t, result, guestLink };
}

describe("the development mailbox's Reply as the recipient", () => {
  test("goes through the pipeline: the reply joins the ticket without the quote, with its screenshot; an HTML file is refused", async () => {
    const { t, result } = await guestReplyWithScreenshot();
    expect(result).toMatchObject({ ok: true, outcome: "reply", ticketId: t.ticketId });
    const reply = (await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, t.ticketId))).find((m) => m.channel === "email" && m.authorKind === "requester")!;
    expect(reply.body).toBe("Here is what I see:");
    const files = await db.select().from(ticketAttachments).where(eq(ticketAttachments.messageId, reply.id));
    expect(files.map((f) => [f.filename, f.contentType])).toEqual([["screenshot.png", "image/png"]]);
  });
});

describe("serving files", () => {
  test("the guest's link, the agent and nobody else open the file; images inline, nosniff, private caching", async () => {
    const { t, guestLink } = await guestReplyWithScreenshot();
    const [file] = await db.select().from(ticketAttachments).where(eq(ticketAttachments.ticketId, t.ticketId));
    const params = { ticketId: t.ticketId, attachmentId: file.id, token: guestLink };

    const byGuest = await guestFile(args(getPage(`/tickets/guest/${guestLink}/attachments/${file.id}`, ""), params));
    expect(byGuest.status).toBe(200);
    expect(Buffer.from(await byGuest.arrayBuffer())).toEqual(PNG);
    expect(byGuest.headers.get("Content-Type")).toBe("image/png");
    expect(byGuest.headers.get("Content-Disposition")).toMatch(/^inline; filename="screenshot.png"/);
    expect(byGuest.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(byGuest.headers.get("Cache-Control")).toMatch(/^private/);

    const agentCookie = await createSessionCookie(t.agent.id);
    expect((await agentFile(args(getPage("/x", agentCookie), params))).status).toBe(200);

    const stranger = await createLearner();
    const strangerCookie = await createSessionCookie(stranger.id);
    expect((await status(learnerFile(args(getPage("/x", strangerCookie), params)))).status).toBe(404);
    expect((await status(agentFile(args(getPage("/x", strangerCookie), params)))).status).toBe(404);
    expect((await status(guestFile(args(getPage("/x", ""), { ...params, token: "A".repeat(43) })))).status).toBe(404);
  });

  test("the original email is there for agents only, as plain text", async () => {
    const { t, result } = await guestReplyWithScreenshot();
    const params = { ticketId: t.ticketId, emailId: result.ok ? result.inboundEmailId : "" };
    const byAgent = await agentOriginal(args(getPage("/x", await createSessionCookie(t.agent.id)), params));
    expect(byAgent.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    const original = await byAgent.text();
    expect(original).toContain("Here is what I see:");
    expect(original).toMatch(/filename=screenshot.png/);
    const learner = await createLearner();
    expect((await status(agentOriginal(args(getPage("/x", await createSessionCookie(learner.id)), params)))).status).toBe(404);
  });

  test("the same file sent twice is stored once", async () => {
    await guestReplyWithScreenshot();
    await guestReplyWithScreenshot();
    expect(await db.select({ sha: attachmentBlobs.sha256 }).from(attachmentBlobs)).toHaveLength(1);
    expect(await db.select().from(ticketAttachments)).toHaveLength(2);
  });
});
