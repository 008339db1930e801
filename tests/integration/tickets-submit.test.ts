// Submitting a ticket: one ticket per submission however often it is sent, the confirmation in
// the outbox, the private link for guests, and the rate limits.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { auditLog, mailOutbox, ticketEvents, ticketGuestLinks, ticketMessages, tickets } from "#db/schema";
import { findTicketByGuestToken, openTicket, type OpenTicketInput } from "~/modules/tickets";
import * as newTicketRoute from "~/routes/tickets.new";
import { createLearner, latestMailTo, uniqueEmail } from "../support/factories";
import { fieldValue, remixPages, textOfId } from "../support/remix-pages";

function guestInput(overrides: Partial<OpenTicketInput> = {}): OpenTicketInput {
  return {
    requester: { accountId: null, name: "Ben Okafor", email: uniqueEmail("ben") },
    category: "missing_badge",
    subject: "3D Printing Safety badge never arrived",
    description: "The makerspace said they sent it last week.\nI can't find it anywhere.",
    source: "web",
    idempotencyKey: randomUUID(),
    clientKey: "198.51.100.4",
    ...overrides,
  };
}

const ticketCount = async () => (await db.select({ id: tickets.id }).from(tickets)).length;

function privateLinkIn(text: string): string {
  const match = text.match(/http:\/\/badgedesk\.test\/tickets\/guest\/([\w-]{43})/);
  if (!match) throw new Error(`No private link in:\n${text}`);
  return match[1];
}

afterEach(() => {
  delete process.env.TICKET_LIMIT_PER_CLIENT;
  delete process.env.TICKET_LIMIT_PER_ADDRESS;
});

describe("submitting a ticket", () => {
  test("a guest's ticket is stored with its first message, its 'new' event, an audit row and a confirmation carrying a private link", async () => {
    const input = guestInput({ issuerOrBadge: "Harbor City Library Makerspace", badgeEmail: "ben.okafor@gmial.example" });
    const result = await openTicket(input);
    expect(result).toMatchObject({ ok: true, created: true });
    if (!result.ok) return;
    expect(result.reference).toMatch(/^BD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);

    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, result.ticketId));
    expect(ticket).toMatchObject({ status: "new", accountId: null, category: "missing_badge", badgeEmail: "ben.okafor@gmial.example" });
    const messages = await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id));
    expect(messages.map((m) => [m.authorKind, m.visibility, m.body])).toEqual([["requester", "public", input.description]]);
    const events = await db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.map((e) => [e.fromStatus, e.toStatus])).toEqual([[null, "new"]]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "ticket.create"))).toHaveLength(1);

    const mail = await latestMailTo(input.requester.email);
    expect(mail?.subject).toBe(`[${result.reference}] We received your request: ${input.subject}`);
    expect(mail?.textBody).toContain("I can't find it anywhere.");
    const token = privateLinkIn(mail!.textBody);
    // Only the hash is stored, and the link opens exactly this ticket.
    const stored = await db.select({ tokenHash: ticketGuestLinks.tokenHash }).from(ticketGuestLinks);
    expect(stored).toHaveLength(1);
    expect(stored[0].tokenHash).not.toContain(token);
    expect((await findTicketByGuestToken({ token }))?.id).toBe(ticket.id);
  });

  test("a signed-in learner's confirmation links to the ticket page, not to a private link", async () => {
    const learner = await createLearner({ name: "Ana Souza" });
    const result = await openTicket(guestInput({ requester: { accountId: learner.id, name: learner.name, email: learner.email } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const mail = await latestMailTo(learner.email);
    expect(mail?.textBody).toContain(`http://badgedesk.test/tickets/${result.ticketId}`);
    expect(mail?.textBody).not.toContain("/tickets/guest/");
    expect(await db.select().from(ticketGuestLinks)).toHaveLength(0);
  });

  test("sending the same form twice (double click, refresh) creates one ticket and one email", async () => {
    const input = guestInput();
    const first = await openTicket(input);
    const second = await openTicket(input);
    expect(first).toMatchObject({ ok: true, created: true });
    expect(second).toMatchObject({ ok: true, created: false });
    if (first.ok && second.ok) expect(second.ticketId).toBe(first.ticketId);
    expect(await ticketCount()).toBe(1);
    const mails = await db.select().from(mailOutbox).where(sql`lower(${mailOutbox.toAddress}) = lower(${input.requester.email})`);
    expect(mails).toHaveLength(1);
  });

  test("two identical submissions racing each other still make one ticket", async () => {
    const input = guestInput();
    const results = await Promise.all([openTicket(input), openTicket(input), openTicket(input)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.ticketId : null))).size).toBe(1);
    expect(await ticketCount()).toBe(1);
  });

  test("going back and sending the same words again with a fresh form is recognised as the same ticket", async () => {
    const input = guestInput();
    const first = await openTicket(input);
    const again = await openTicket({ ...input, idempotencyKey: randomUUID() });
    expect(again).toMatchObject({ ok: true, created: false });
    if (first.ok && again.ok) expect(again.ticketId).toBe(first.ticketId);
    // A different question from the same person is a new ticket.
    const other = await openTicket({ ...input, idempotencyKey: randomUUID(), subject: "And a second problem" });
    expect(other).toMatchObject({ ok: true, created: true });
    expect(await ticketCount()).toBe(2);
  });

  test("someone else's form key opens nothing", async () => {
    const input = guestInput();
    await openTicket(input);
    const stranger = await openTicket({ ...input, requester: { accountId: null, name: "Mallory", email: uniqueEmail("mallory") }, subject: "other words" });
    expect(stranger).toEqual({ ok: false, errors: { form: expect.stringMatching(/already used/) } });
  });

  test("the same words from a different requester are their own ticket", async () => {
    const input = guestInput();
    await openTicket(input);
    const learner = await createLearner({ email: input.requester.email.toUpperCase() });
    const signedIn = await openTicket({ ...input, idempotencyKey: randomUUID(), requester: { accountId: learner.id, name: learner.name, email: learner.email } });
    expect(signedIn).toMatchObject({ ok: true, created: true });
    expect(await ticketCount()).toBe(2);
  });

  test("bad input is answered per field and nothing is stored", async () => {
    const result = await openTicket(
      guestInput({ requester: { accountId: null, name: "", email: "not-an-address" }, subject: "", description: "x".repeat(10_001), category: "nonsense" as never }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(["category", "description", "email", "name", "subject"]);
    expect(await ticketCount()).toBe(0);
  });

  test("ticket creation is limited per address and per client, and the limits come from the environment", async () => {
    process.env.TICKET_LIMIT_PER_ADDRESS = "2";
    const email = uniqueEmail("busy");
    const requester = { accountId: null, name: "Busy", email };
    for (let i = 0; i < 2; i++) expect((await openTicket(guestInput({ requester, subject: `question ${i}`, clientKey: `client-${i}` }))).ok).toBe(true);
    const refused = await openTicket(guestInput({ requester, subject: "question 3", clientKey: "client-3" }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.errors.form).toMatch(/from this address/);
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    }

    process.env.TICKET_LIMIT_PER_CLIENT = "3";
    for (let i = 0; i < 3; i++) expect((await openTicket(guestInput({ clientKey: "203.0.113.9" }))).ok).toBe(true);
    const fromSameClient = await openTicket(guestInput({ clientKey: "203.0.113.9" }));
    expect(fromSameClient.ok).toBe(false);
    if (!fromSameClient.ok) expect(fromSameClient.errors.form).toMatch(/from your network/);
    expect(await ticketCount()).toBe(5);
  });

  test("a refused resubmission of an existing ticket is still answered with that ticket", async () => {
    process.env.TICKET_LIMIT_PER_ADDRESS = "1";
    const input = guestInput();
    const first = await openTicket(input);
    expect(await openTicket(input)).toMatchObject({ ok: true, created: false, ticketId: first.ok ? first.ticketId : "" });
  });

  test("a ticket opened from article feedback keeps the article it came from", async () => {
    const learner = await createLearner();
    const result = await openTicket({
      requester: { accountId: learner.id, name: learner.name, email: learner.email },
      category: "other",
      subject: "The article did not help",
      description: "Contact me please.",
      articleSlug: "badge-not-in-backpack",
      source: "article_feedback",
      idempotencyKey: "article-feedback:1234",
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, result.ticketId));
    expect(ticket).toMatchObject({ source: "article_feedback", articleSlug: "badge-not-in-backpack", accountId: learner.id });
  });
});

describe("the form's route", () => {
  const context = { clientIp: "192.0.2.10", requestId: "test", cspNonce: "" };
  const page = remixPages([{ id: "routes/tickets.new", path: "tickets/new", module: newTicketRoute }]);

  function post(fields: Record<string, string>) {
    return new Request("http://badgedesk.test/tickets/new", { method: "POST", body: new URLSearchParams(fields) });
  }

  test("posting the same form twice redirects both times and stores one ticket", async () => {
    const fields = {
      intent: "submit",
      name: "Noor Haddad",
      email: uniqueEmail("noor"),
      category: "email_account",
      subject: "I changed my email",
      description: "My old school address no longer works.",
      idempotencyKey: randomUUID(),
    };
    for (let i = 0; i < 2; i++) {
      const response = await page(post(fields), context);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/tickets/received");
    }
    expect(await ticketCount()).toBe(1);
  });

  test("a bad field comes back with its message and everything typed", async () => {
    const fields = { intent: "submit", name: "Noor", email: "noor@", category: "email_account", subject: "Help", description: "My words", idempotencyKey: randomUUID() };
    const response = await page(post(fields), context);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(textOfId(html, "field-email-error")).toMatch(/Enter an email address/);
    expect({ name: fieldValue(html, "name"), email: fieldValue(html, "email"), description: fieldValue(html, "description"), idempotencyKey: fieldValue(html, "idempotencyKey") }).toEqual({
      name: "Noor",
      email: "noor@",
      description: "My words",
      idempotencyKey: fields.idempotencyKey,
    });
    expect(await ticketCount()).toBe(0);
  });
});
