// A ticket's life: replies both ways, status changes with their timestamps, internal notes kept
// from the learner, and the emails the learner gets on the way.
import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { auditLog, mailOutbox, ticketEvents, tickets } from "#db/schema";
import type { Viewer } from "~/modules/auth";
import {
  addAgentReply,
  changeStatusAsRequester,
  findTicketByGuestToken,
  findTicketForViewer,
  openTicket,
  replyAsRequester,
  setStatus,
} from "~/modules/tickets";
import { createLearner, createTicket, latestMailTo, uniqueEmail } from "../support/factories";

async function setup() {
  const learner = await createLearner({ name: "Ana Souza" });
  const agent = await createLearner({ name: "Sam Rivera", roles: ["agent"] });
  const result = await createTicket({
    requester: learner,
    category: "email_account",
    subject: "Badge waits at my school address",
    description: "I was told it went to my lakeside address.",
  });
  const access = { kind: "account" as const, viewer: learner as Viewer, ticketId: result.ticketId };
  return { learner, agent, ticketId: result.ticketId, reference: result.reference, access };
}

const statusOf = async (ticketId: string) => (await db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, ticketId)))[0].status;
const history = async (ticketId: string) =>
  (await db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.at), asc(ticketEvents.id))).map((e) => [
    e.actorKind,
    e.fromStatus,
    e.toStatus,
  ]);
const mailsTo = (address: string) =>
  db.select().from(mailOutbox).where(sql`lower(${mailOutbox.toAddress}) = lower(${address})`).orderBy(asc(mailOutbox.createdAt));

describe("statuses", () => {
  test("new → open → pending → open → resolved → closed → open, every change timestamped in order", async () => {
    const { agent, ticketId, access } = await setup();
    expect(await statusOf(ticketId)).toBe("new");

    expect(await addAgentReply({ ticketId, agentId: agent.id, body: "Looking into it." })).toMatchObject({ ok: true, status: "open" });
    expect(await addAgentReply({ ticketId, agentId: agent.id, body: "Which address did you use at Lakeside?", status: "pending" })).toMatchObject({
      ok: true,
      status: "pending",
    });
    expect(await replyAsRequester({ access, body: "ana.souza@lakeside.example.edu" })).toMatchObject({ ok: true, status: "open", reopened: false });
    expect(await setStatus({ ticketId, agentId: agent.id, status: "resolved" })).toMatchObject({ ok: true, status: "resolved" });
    expect(await changeStatusAsRequester({ access, action: "close" })).toEqual({ ok: true, status: "closed", changed: true });
    expect(await changeStatusAsRequester({ access, action: "reopen" })).toEqual({ ok: true, status: "open", changed: true });

    expect(await history(ticketId)).toEqual([
      ["requester", null, "new"],
      ["agent", "new", "open"],
      ["agent", "open", "pending"],
      ["requester", "pending", "open"],
      ["agent", "open", "resolved"],
      ["requester", "resolved", "closed"],
      ["requester", "closed", "open"],
    ]);
    const times = (await db.select({ at: ticketEvents.at }).from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.id))).map((e) =>
      e.at.getTime(),
    );
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(await db.select().from(auditLog).where(eq(auditLog.targetId, ticketId))).not.toHaveLength(0);
  });

  test("the learner's page shows the status changes in the thread, in order with the messages", async () => {
    const { learner, agent, ticketId } = await setup();
    await addAgentReply({ ticketId, agentId: agent.id, body: "Solved: verify the address.", status: "resolved" });
    const view = await findTicketForViewer({ ticketId, viewer: learner });
    expect(view?.status).toBe("resolved");
    expect(
      view?.timeline.map((e) => (e.kind === "message" ? `${e.author}: ${e.body}` : `status ${e.from}→${e.to} by ${e.by}`)),
    ).toEqual(["requester: I was told it went to my lakeside address.", "agent: Solved: verify the address.", "status new→resolved by agent"]);
  });

  test("replying to a resolved ticket reopens it; closing twice changes nothing the second time", async () => {
    const { agent, ticketId, access } = await setup();
    await setStatus({ ticketId, agentId: agent.id, status: "resolved" });
    expect(await replyAsRequester({ access, body: "Still not there, sorry." })).toMatchObject({ ok: true, status: "open", reopened: true });
    expect(await changeStatusAsRequester({ access, action: "close" })).toMatchObject({ changed: true });
    expect(await changeStatusAsRequester({ access, action: "close" })).toEqual({ ok: true, status: "closed", changed: false });
    expect(await changeStatusAsRequester({ access, action: "reopen" })).toMatchObject({ status: "open", changed: true });
    expect(await changeStatusAsRequester({ access, action: "reopen" })).toEqual({ ok: true, status: "open", changed: false });
  });

  test("an agent can't put a ticket back to new, nor 'change' it to the status it has", async () => {
    const { agent, ticketId } = await setup();
    expect(await setStatus({ ticketId, agentId: agent.id, status: "new" })).toEqual({ ok: false, reason: "not_allowed" });
    await setStatus({ ticketId, agentId: agent.id, status: "pending" });
    expect(await setStatus({ ticketId, agentId: agent.id, status: "pending" })).toEqual({ ok: false, reason: "not_allowed" });
    expect(await setStatus({ ticketId: randomUUID(), agentId: agent.id, status: "open" })).toEqual({ ok: false, reason: "not_found" });
  });

  test("a double-clicked reply is stored once", async () => {
    const { learner, ticketId, access } = await setup();
    const idempotencyKey = randomUUID();
    await Promise.all([replyAsRequester({ access, body: "Once only", idempotencyKey }), replyAsRequester({ access, body: "Once only", idempotencyKey })]);
    const view = await findTicketForViewer({ ticketId, viewer: learner });
    expect(view?.timeline.filter((e) => e.kind === "message" && e.body === "Once only")).toHaveLength(1);
  });
});

describe("internal notes", () => {
  test("are never on the learner's page nor in their inbox", async () => {
    const { learner, agent, ticketId } = await setup();
    const mailsBefore = (await mailsTo(learner.email)).length;
    await addAgentReply({ ticketId, agentId: agent.id, body: "SECRET: learner has two accounts", visibility: "internal" });
    const view = await findTicketForViewer({ ticketId, viewer: learner });
    expect(JSON.stringify(view)).not.toContain("SECRET");
    expect(view?.status).toBe("new");
    const mails = await mailsTo(learner.email);
    expect(mails).toHaveLength(mailsBefore);
    expect(mails.map((m) => m.textBody).join("\n")).not.toContain("SECRET");
  });
});

describe("email notices (outbox)", () => {
  test("submitting confirms; a public reply and resolving notify with a link back; learner replies don't email the learner", async () => {
    const { learner, agent, ticketId, reference, access } = await setup();
    const link = `http://badgedesk.test/tickets/${ticketId}`;
    let mails = await mailsTo(learner.email);
    expect(mails.map((m) => m.subject)).toEqual([`[${reference}] We received your request: Badge waits at my school address`]);

    await addAgentReply({ ticketId, agentId: agent.id, body: "Please verify ana.souza@lakeside.example.edu.\nThen it appears." });
    mails = await mailsTo(learner.email);
    expect(mails).toHaveLength(2);
    expect(mails[1].subject).toBe(`[${reference}] New reply: Badge waits at my school address`);
    expect(mails[1].textBody).toContain("Sam Rivera from Customer Care replied");
    expect(mails[1].textBody).toContain("> Please verify ana.souza@lakeside.example.edu.\n> Then it appears.");
    expect(mails[1].textBody).toContain(link);

    await replyAsRequester({ access, body: "Done, thanks!" });
    expect(await mailsTo(learner.email)).toHaveLength(2);

    await setStatus({ ticketId, agentId: agent.id, status: "resolved" });
    mails = await mailsTo(learner.email);
    expect(mails).toHaveLength(3);
    expect(mails[2].subject).toBe(`[${reference}] Resolved: Badge waits at my school address`);
    expect(mails[2].textBody).toContain(link);

    // A reply that also resolves sends one message that says both.
    await changeStatusAsRequester({ access, action: "reopen" });
    await addAgentReply({ ticketId, agentId: agent.id, body: "Fixed for good.", status: "resolved" });
    mails = await mailsTo(learner.email);
    expect(mails).toHaveLength(4);
    expect(mails[3].subject).toMatch(/^\[BD-.+\] Resolved:/);
    expect(mails[3].textBody).toContain("Fixed for good.");
  });

  test("a guest's notices each carry a working private link", async () => {
    const agent = await createLearner({ roles: ["agent"] });
    const email = uniqueEmail("guest");
    const result = await openTicket({
      requester: { accountId: null, name: "Ben", email },
      category: "missing_badge",
      subject: "Where is my badge",
      description: "It never came.",
      source: "web",
      idempotencyKey: randomUUID(),
    });
    if (!result.ok) throw new Error("not opened");
    await addAgentReply({ ticketId: result.ticketId, agentId: agent.id, body: "It went to gmial.example." });
    const mail = await latestMailTo(email);
    expect(mail?.subject).toMatch(/New reply/);
    const token = mail!.textBody.match(/\/tickets\/guest\/([\w-]{43})/)?.[1];
    expect(token).toBeDefined();
    const view = await findTicketByGuestToken({ token: token! });
    expect(view?.timeline.filter((e) => e.kind === "message").at(-1)).toMatchObject({ author: "agent", body: "It went to gmial.example." });
    // The guest answers through the link; the ticket goes back to Customer Care.
    expect(await replyAsRequester({ access: { kind: "guest", token: token! }, body: "Oops, my typo!" })).toMatchObject({ ok: true, status: "open" });
  });

  test("text that looks like HTML or a mail header is stored and sent as the plain text it is", async () => {
    const { learner, agent, ticketId } = await setup();
    await addAgentReply({ ticketId, agentId: agent.id, body: "<script>alert(1)</script>\r\nBcc: x@example.org" });
    const view = await findTicketForViewer({ ticketId, viewer: learner });
    expect(view?.timeline.filter((e) => e.kind === "message").at(-1)).toMatchObject({ body: "<script>alert(1)</script>\nBcc: x@example.org" });
    expect((await latestMailTo(learner.email))?.textBody).toContain("> <script>alert(1)</script>\n> Bcc: x@example.org");
  });
});
