// Who sees which ticket: owners only (another's id looks like a missing one), guests through
// their private link only, and guest tickets joining My tickets once the address is verified.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { accountEmails, emailTokens, ticketGuestLinks, tickets } from "#db/schema";
import { sendVerificationLink, verifyEmailWithToken, type Viewer } from "~/modules/auth";
import {
  addAgentReply,
  changeStatusAsRequester,
  emailGuestLinks,
  findTicketByGuestToken,
  findTicketForViewer,
  listTicketsForViewer,
  markTicketSeen,
  replaceGuestLinks,
  replyAsRequester,
  revokeGuestLinks,
} from "~/modules/tickets";
import { loader as ticketPageLoader } from "~/routes/tickets.$ticketId";
import { addEmail, createLearner, createTicket, latestMailTo, tokenFromLink, uniqueEmail } from "../support/factories";

function fileTicket(requester: { accountId: string | null; name: string; email: string }, subject = `Question ${randomUUID().slice(0, 6)}`) {
  return createTicket({ requester, subject, description: "My badge is not in my backpack." });
}

const asRequester = (v: Viewer) => ({ accountId: v.id, name: v.name, email: v.email });

function privateToken(text: string): string {
  const match = text.match(/\/tickets\/guest\/([\w-]{43})/);
  if (!match) throw new Error(`No private link in:\n${text}`);
  return match[1];
}

describe("a learner sees only their own tickets", () => {
  test("another learner's ticket id gives nothing, exactly like an id that doesn't exist", async () => {
    const [owner, stranger] = [await createLearner(), await createLearner()];
    const { ticketId } = await fileTicket(asRequester(owner));
    expect((await findTicketForViewer({ ticketId, viewer: owner }))?.id).toBe(ticketId);
    expect(await findTicketForViewer({ ticketId, viewer: stranger })).toBeNull();
    expect(await findTicketForViewer({ ticketId: randomUUID(), viewer: stranger })).toBeNull();
    expect(await findTicketForViewer({ ticketId: "not-a-uuid", viewer: stranger })).toBeNull();
  });

  test("the ticket page answers 404, not 403, for someone else's ticket", async () => {
    const [owner, stranger] = [await createLearner(), await createLearner()];
    const { ticketId } = await fileTicket(asRequester(owner));
    const session = await signedInRequest(stranger, `/tickets/${ticketId}`);
    const thrown = await ticketPageLoader({ request: session, params: { ticketId }, context: {} } as never).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
  });

  test("another learner can't reply to, close or reopen a ticket that isn't theirs", async () => {
    const [owner, stranger] = [await createLearner(), await createLearner()];
    const { ticketId } = await fileTicket(asRequester(owner));
    const access = { kind: "account" as const, viewer: stranger, ticketId };
    expect(await replyAsRequester({ access, body: "let me in" })).toEqual({ ok: false, reason: "not_found" });
    expect(await changeStatusAsRequester({ access, action: "close" })).toEqual({ ok: false, reason: "not_found" });
    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
    expect(ticket.status).toBe("new");
  });
});

describe("guest tickets", () => {
  test("the private link opens its ticket only; a made-up or revoked link opens nothing", async () => {
    const email = uniqueEmail("guest");
    const mine = await fileTicket({ accountId: null, name: "Guest", email });
    await fileTicket({ accountId: null, name: "Other guest", email: uniqueEmail("other") });
    const token = privateToken((await latestMailTo(email))!.textBody);
    expect((await findTicketByGuestToken({ token }))?.id).toBe(mine.ticketId);
    expect(await findTicketByGuestToken({ token: token.slice(0, -1) + (token.endsWith("A") ? "B" : "A") })).toBeNull();
    expect(await findTicketByGuestToken({ token: "short" })).toBeNull();

    expect(await revokeGuestLinks({ ticketId: mine.ticketId, actorId: null })).toBe(1);
    expect(await findTicketByGuestToken({ token })).toBeNull();
    expect(await replyAsRequester({ access: { kind: "guest", token }, body: "hello?" })).toEqual({ ok: false, reason: "not_found" });
  });

  test("turning a link off emails a new one that works while the old one doesn't", async () => {
    const email = uniqueEmail("guest");
    await fileTicket({ accountId: null, name: "Guest", email });
    const oldToken = privateToken((await latestMailTo(email))!.textBody);
    expect(await replaceGuestLinks({ token: oldToken })).toEqual({ ok: true, email });
    const mail = await latestMailTo(email);
    expect(mail?.subject).toMatch(/new private link/);
    const newToken = privateToken(mail!.textBody);
    expect(await findTicketByGuestToken({ token: oldToken })).toBeNull();
    expect(await findTicketByGuestToken({ token: newToken })).not.toBeNull();
  });

  test("a guest who lost the link gets fresh links by email; an unknown address gets nothing, with the same answer", async () => {
    const email = uniqueEmail("guest");
    const first = await fileTicket({ accountId: null, name: "Guest", email }, "First question");
    await fileTicket({ accountId: null, name: "Guest", email }, "Second question");
    expect(await emailGuestLinks({ email: email.toUpperCase(), clientKey: "c1" })).toEqual({ ok: true });
    const mail = await latestMailTo(email);
    expect(mail?.subject).toBe("Your links to your badgedesk tickets");
    expect(mail?.textBody).toContain("First question");
    expect(mail?.textBody).toContain("Second question");
    const tokens = [...mail!.textBody.matchAll(/\/tickets\/guest\/([\w-]{43})/g)].map((m) => m[1]);
    expect(tokens).toHaveLength(2);
    expect((await Promise.all(tokens.map((token) => findTicketByGuestToken({ token })))).map((t) => t?.id)).toContain(first.ticketId);

    const nobody = uniqueEmail("nobody");
    expect(await emailGuestLinks({ email: nobody, clientKey: "c1" })).toEqual({ ok: true });
    expect(await latestMailTo(nobody)).toBeNull();
  });

  test("a guest ticket joins My tickets once its address is verified on an account — not before", async () => {
    const address = uniqueEmail("later");
    const { ticketId } = await fileTicket({ accountId: null, name: "Chloé", email: address.toUpperCase() });
    const learner = await createLearner({ name: "Chloé Martin" });
    const added = await addEmail(learner.id, address);
    expect(await findTicketForViewer({ ticketId, viewer: learner })).toBeNull();
    expect((await listTicketsForViewer({ viewer: learner })).total).toBe(0);

    await db.update(emailTokens).set({ createdAt: new Date(Date.now() - 10 * 60 * 1000) });
    expect((await sendVerificationLink({ accountId: learner.id, emailId: added.id, actorId: learner.id })).ok).toBe(true);
    const verified = await verifyEmailWithToken({ token: tokenFromLink((await latestMailTo(address))!.textBody, "/verify-email") });
    expect(verified.ok).toBe(true);

    expect((await findTicketForViewer({ ticketId, viewer: learner }))?.id).toBe(ticketId);
    const list = await listTicketsForViewer({ viewer: learner });
    expect(list.tickets.map((t) => t.id)).toEqual([ticketId]);
    // Signed in, the learner can now answer it as their own.
    expect(await replyAsRequester({ access: { kind: "account", viewer: learner, ticketId }, body: "It's me, with my account now." })).toMatchObject({ ok: true });
  });

  test("a ticket filed by one account doesn't move to whoever verifies its address later", async () => {
    const owner = await createLearner();
    const { ticketId } = await fileTicket(asRequester(owner));
    // The owner's address is released and verified on another account.
    await db.delete(accountEmails).where(eq(accountEmails.accountId, owner.id));
    const other = await createLearner({ email: owner.email });
    expect(await findTicketForViewer({ ticketId, viewer: other })).toBeNull();
    expect((await findTicketForViewer({ ticketId, viewer: owner }))?.id).toBe(ticketId);
  });

  test("guest links are stored only as hashes", async () => {
    const email = uniqueEmail("guest");
    await fileTicket({ accountId: null, name: "Guest", email });
    const token = privateToken((await latestMailTo(email))!.textBody);
    const stored = await db.select().from(ticketGuestLinks);
    expect(JSON.stringify(stored)).not.toContain(token);
  });
});

describe("My tickets", () => {
  // One learner files more tickets here than the hourly limit per address allows.
  beforeEach(() => {
    process.env.TICKET_LIMIT_PER_ADDRESS = "100";
  });
  afterEach(() => {
    delete process.env.TICKET_LIMIT_PER_ADDRESS;
  });

  test("newest activity first, 20 to a page, with the unread marker after an agent's reply until the learner looks", async () => {
    const learner = await createLearner();
    const agent = await createLearner({ name: "Sam Rivera", roles: ["agent"] });
    const filed = [];
    for (let i = 0; i < 23; i++) filed.push(await fileTicket(asRequester(learner), `Ticket number ${i}`));
    // Someone else's ticket never shows.
    await fileTicket(asRequester(await createLearner()));

    const first = await listTicketsForViewer({ viewer: learner });
    expect(first).toMatchObject({ total: 23, page: 1, pageCount: 2, unreadCount: 0 });
    expect(first.tickets).toHaveLength(20);
    expect(first.tickets[0].subject).toBe("Ticket number 22");
    const second = await listTicketsForViewer({ viewer: learner, page: 2 });
    expect(second.tickets.map((t) => t.subject)).toEqual(["Ticket number 2", "Ticket number 1", "Ticket number 0"]);
    expect(await listTicketsForViewer({ viewer: learner, page: 99 })).toMatchObject({ page: 2 });

    // An agent answers the oldest: it jumps to the top, marked unread.
    await addAgentReply({ ticketId: filed[0].ticketId, agentId: agent.id, body: "We found your badge." });
    const after = await listTicketsForViewer({ viewer: learner });
    expect(after.tickets[0]).toMatchObject({ id: filed[0].ticketId, unread: true });
    expect(after.unreadCount).toBe(1);
    expect(after.tickets.slice(1).every((t) => !t.unread)).toBe(true);

    await markTicketSeen({ ticketId: filed[0].ticketId, accountId: learner.id });
    expect((await listTicketsForViewer({ viewer: learner })).tickets[0]).toMatchObject({ id: filed[0].ticketId, unread: false });
  });

  test("an internal note neither marks the ticket unread nor moves it up", async () => {
    const learner = await createLearner();
    const agent = await createLearner({ roles: ["agent"] });
    const older = await fileTicket(asRequester(learner), "Older");
    await fileTicket(asRequester(learner), "Newer");
    await addAgentReply({ ticketId: older.ticketId, agentId: agent.id, body: "Learner seems confused.", visibility: "internal" });
    const list = await listTicketsForViewer({ viewer: learner });
    expect(list.tickets.map((t) => [t.subject, t.unread])).toEqual([
      ["Newer", false],
      ["Older", false],
    ]);
  });
});

// A request that carries a real session cookie for the learner, as the browser would send it.
async function signedInRequest(viewer: Viewer, path: string): Promise<Request> {
  const { createLoginSession } = await import("~/modules/auth");
  const login = await createLoginSession({ request: new Request("http://badgedesk.test/login"), accountId: viewer.id, redirectTo: "/" });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return new Request(`http://badgedesk.test${path}`, { headers: { Cookie: cookie } });
}
