// IMAP polling against a real IMAP server (a private Dovecot, tests/support/dovecot.ts): mail left
// in the mailbox reaches its ticket through the same pipeline as POST /inbound/email, once, and is
// marked read only after it was processed. OAuth2 sign-in is real too: Dovecot checks each bearer
// token at the test's token server, which also answers the poller's refresh-token exchange.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { db, runExclusively } from "#db/client.server";
import { inboundEmails, mailOutbox, ticketMessages, tickets } from "#db/schema";
import { accessTokenSource, createImapPoller, IMAP_POLL_LOCK, type ImapSettings } from "~/modules/inbound-mail";
import { startDovecot, type Dovecot } from "../support/dovecot";
import { answeredGuestTicket, emailFixture } from "../support/email";

// The test's OAuth2 provider: a token endpoint (refresh-token and client-credentials grants) and
// the introspection endpoint Dovecot asks whether a bearer token is valid.
const REFRESH_TOKEN = `refresh-${randomUUID()}`;
const CLIENT = { id: "badgedesk-test-client", secret: "client-secret-for-tests" };
const issuedTokens = new Set<string>();
// Like Microsoft, the provider hands out a new refresh token with each exchange; the old ones stay valid.
const refreshTokens = new Set([REFRESH_TOKEN]);
const tokenRequests: URLSearchParams[] = [];
const provider = http.createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    const form = new URLSearchParams(body);
    const answer = (status: number, json: object) => response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(json));
    if (request.url === "/introspect") return answer(200, { active: issuedTokens.has(form.get("token") ?? "") ? "true" : "false", username: dovecot.user });
    if (request.url !== "/token") return answer(404, { error: "not_found" });
    tokenRequests.push(form);
    const clientOk = form.get("client_id") === CLIENT.id && form.get("client_secret") === CLIENT.secret;
    const grantOk = form.get("grant_type") === "refresh_token" ? refreshTokens.has(form.get("refresh_token") ?? "") : form.get("grant_type") === "client_credentials" && Boolean(form.get("scope"));
    if (!clientOk || !grantOk) return answer(400, { error: "invalid_grant", error_description: "The refresh token is expired or revoked." });
    const token = `access-${randomUUID()}`;
    issuedTokens.add(token);
    const rotated = `refresh-${randomUUID()}`;
    refreshTokens.add(rotated);
    answer(200, { access_token: token, token_type: "Bearer", expires_in: 3600, ...(form.get("grant_type") === "refresh_token" ? { refresh_token: rotated } : {}) });
  });
});

let dovecot: Dovecot;
let providerUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  dovecot = await startDovecot({ oauth2IntrospectionUrl: `${providerUrl}/introspect` });
});

afterAll(async () => {
  await dovecot?.stop();
  await new Promise((resolve) => provider.close(resolve));
});

beforeEach(async () => {
  await dovecot.empty();
  tokenRequests.length = 0;
});

const quiet = { log: () => {}, error: () => {} };
const pollerFor = (overrides: Partial<ImapSettings> = {}) => createImapPoller(dovecot.settings(overrides), { log: quiet });
const messagesOf = (ticketId: string) => db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId)).orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
const storedEmails = () => db.select().from(inboundEmails).orderBy(asc(inboundEmails.receivedAt));
const count = async (table: typeof tickets | typeof mailOutbox | typeof ticketMessages) => Number((await db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n);

/** A real failure inside the pipeline's transaction: the database refuses ticket messages while `work` runs. */
async function whileTicketMessagesAreRefused(work: () => Promise<void>) {
  await db.execute(sql.raw(`create function refuse_ticket_messages() returns trigger language plpgsql as $$ begin raise exception 'ticket messages are refused for this test'; end $$`));
  await db.execute(sql.raw(`create trigger refuse_ticket_messages before insert on ticket_messages for each row execute function refuse_ticket_messages()`));
  try {
    await work();
  } finally {
    await db.execute(sql.raw(`drop trigger if exists refuse_ticket_messages on ticket_messages`));
    await db.execute(sql.raw(`drop function if exists refuse_ticket_messages()`));
  }
}

async function gmailReply() {
  const t = await answeredGuestTicket();
  const messageId = `<${randomUUID()}@mail.gmail.example>`;
  const raw = emailFixture("gmail-reply", { FROM: t.requester, TO: t.replyTo, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference, MESSAGE_ID: messageId });
  return { ...t, raw, messageId };
}

describe("a mailbox polled over IMAP", () => {
  test("a reply left in the mailbox lands in its ticket after one poll, without its quote, and is then marked read", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    expect((await dovecot.messages())[0].flags).not.toContain("\\Seen");

    const outcome = await pollerFor().pollOnce();

    expect(outcome).toMatchObject({ skipped: false, imported: 1, failed: 0 });
    const last = (await messagesOf(t.ticketId)).at(-1)!;
    expect(last).toMatchObject({ authorKind: "requester", channel: "email", body: "Thanks, the badge is in my backpack now." });
    expect((await db.select().from(tickets).where(eq(tickets.id, t.ticketId)))[0].status).toBe("open");
    expect(await storedEmails()).toMatchObject([{ via: "imap", status: "processed", outcome: "reply", messageId: t.messageId, ticketId: t.ticketId }]);
    expect((await dovecot.messages())[0].flags).toContain("\\Seen");
    // Nothing unread is left: the next poll does nothing.
    expect(await pollerFor().pollOnce()).toMatchObject({ imported: 0, alreadyStored: 0 });
  });

  test("the same message in the mailbox twice is imported once; both copies are marked read", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    await dovecot.deliver(t.raw);
    const before = (await messagesOf(t.ticketId)).length;

    expect(await pollerFor().pollOnce()).toMatchObject({ imported: 1, alreadyStored: 1 });

    expect((await messagesOf(t.ticketId)).length).toBe(before + 1);
    expect(await storedEmails()).toHaveLength(1);
    expect((await dovecot.messages()).map((m) => m.flags.includes("\\Seen"))).toEqual([true, true]);
  });

  test("a message the pipeline fails on stays unread, its raw copy stored, and the next poll imports it", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    const before = (await messagesOf(t.ticketId)).length;
    const poller = pollerFor();
    await whileTicketMessagesAreRefused(async () => {
      expect(await poller.pollOnce()).toMatchObject({ imported: 0, failed: 1 });
      expect((await dovecot.messages())[0].flags).toEqual([]);
      expect(await storedEmails()).toMatchObject([{ via: "imap", status: "failed", messageId: t.messageId }]);
      expect((await messagesOf(t.ticketId)).length).toBe(before);
    });

    expect(await poller.pollOnce()).toMatchObject({ imported: 0, alreadyStored: 1, failed: 0 });

    expect((await messagesOf(t.ticketId)).at(-1)!.body).toBe("Thanks, the badge is in my backpack now.");
    expect(await storedEmails()).toMatchObject([{ status: "processed", outcome: "reply" }]);
    expect((await dovecot.messages())[0].flags).toEqual(["\\Seen"]);
  });

  test("a message that keeps failing is flagged for a person after IMAP_MAX_ATTEMPTS polls and no longer blocks the mailbox", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    const poller = pollerFor({ maxAttempts: 2 });
    await whileTicketMessagesAreRefused(async () => {
      expect(await poller.pollOnce()).toMatchObject({ failed: 1, gaveUp: 0 });
      expect((await dovecot.messages())[0].flags).toEqual([]);
      expect(await poller.pollOnce()).toMatchObject({ failed: 0, gaveUp: 1 });
    });

    expect((await dovecot.messages())[0].flags).toEqual(["\\Flagged", "\\Seen"]);
    expect(await poller.pollOnce()).toMatchObject({ imported: 0, alreadyStored: 0, failed: 0, gaveUp: 0 });
    // Its raw copy waits for a person (who can process it again from the database).
    expect(await storedEmails()).toMatchObject([{ status: "failed", messageId: t.messageId }]);
  });

  test("automatic mail is stored on its ticket as automatic: it reopens nothing and is not answered", async () => {
    const t = await answeredGuestTicket();
    await dovecot.deliver(emailFixture("out-of-office", { FROM: t.requester, TO: t.replyTo, IN_REPLY_TO: t.lastSentMessageId, REFERENCE: t.reference }));
    await dovecot.deliver(emailFixture("mailing-list"));
    const [ticketsBefore, mailBefore] = [await count(tickets), await count(mailOutbox)];

    expect(await pollerFor().pollOnce()).toMatchObject({ imported: 2 });

    expect((await messagesOf(t.ticketId)).at(-1)).toMatchObject({ automatic: true, visibility: "internal", body: expect.stringContaining("out of the office") });
    expect((await db.select().from(tickets).where(eq(tickets.id, t.ticketId)))[0].status).toBe("pending");
    expect(await count(tickets)).toBe(ticketsBefore); // the mailing list opened none
    expect(await count(mailOutbox)).toBe(mailBefore); // and nobody was answered
    expect((await storedEmails()).map((e) => e.kind)).toEqual(["automatic", "automatic"]);
    expect((await dovecot.messages()).every((m) => m.flags.includes("\\Seen"))).toBe(true);
  });

  test("a message over INBOUND_EMAIL_MAX_BYTES is not downloaded: it is flagged and read, and the rest of the mailbox is imported", async () => {
    const t = await gmailReply();
    const big = emailFixture("forward-inline-images", { FROM: "sender@example.test" });
    await dovecot.deliver(big);
    await dovecot.deliver(t.raw);
    const previous = process.env.INBOUND_EMAIL_MAX_BYTES;
    process.env.INBOUND_EMAIL_MAX_BYTES = String(Math.max(t.raw.length, big.length - 1));
    try {
      expect(big.length).toBeGreaterThan(t.raw.length);
      expect(await pollerFor().pollOnce()).toMatchObject({ imported: 1, tooLarge: 1 });
    } finally {
      if (previous === undefined) delete process.env.INBOUND_EMAIL_MAX_BYTES;
      else process.env.INBOUND_EMAIL_MAX_BYTES = previous;
    }
    expect((await dovecot.messages()).map((m) => m.flags)).toEqual([["\\Flagged", "\\Seen"], ["\\Seen"]]);
    expect(await storedEmails()).toMatchObject([{ messageId: t.messageId }]);
  });

  test("with IMAP_PROCESSED_MAILBOX, imported mail is moved there and the polled folder keeps only what is left to do", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    expect(await pollerFor({ processedMailbox: "Imported" }).pollOnce()).toMatchObject({ imported: 1 });
    expect(await dovecot.messages("INBOX")).toEqual([]);
    expect(await dovecot.messages("Imported")).toMatchObject([{ messageId: t.messageId, flags: ["\\Seen"] }]);
  });

  test("a wrong password or folder fails the poll with what to check, and the mail stays unread", async () => {
    await dovecot.deliver((await gmailReply()).raw);
    await expect(pollerFor({ auth: { method: "password", user: dovecot.user, password: "wrong" } }).pollOnce()).rejects.toThrow(
      "the IMAP server refused to sign in care@badgedesk.test (check IMAP_USER and IMAP_PASSWORD)",
    );
    await expect(pollerFor({ mailbox: "Helpdesk" }).pollOnce()).rejects.toThrow(/^the folder "Helpdesk" \(IMAP_MAILBOX\) could not be opened: Mailbox doesn't exist/);
    expect((await dovecot.messages())[0].flags).toEqual([]);
    expect(await storedEmails()).toEqual([]);
  });
});

describe("several instances", () => {
  test("two pollers at once import each message once", async () => {
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await gmailReply());
    for (const r of replies) await dovecot.deliver(r.raw);

    const outcomes = await Promise.all([pollerFor().pollOnce(), pollerFor().pollOnce()]);

    const imported = outcomes.reduce((sum, o) => sum + (o.skipped ? 0 : o.imported), 0);
    expect(imported).toBe(4);
    expect((await storedEmails()).map((e) => e.messageId).sort()).toEqual(replies.map((r) => r.messageId).sort());
    for (const r of replies) expect((await messagesOf(r.ticketId)).filter((m) => m.body === "Thanks, the badge is in my backpack now.")).toHaveLength(1);
  });

  test("while another instance holds the poll's lock, a poller skips its turn and leaves the mail unread", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    const whileHeld = await runExclusively(IMAP_POLL_LOCK, () => pollerFor().pollOnce());
    expect(whileHeld).toEqual({ value: { skipped: true } });
    expect((await dovecot.messages())[0].flags).toEqual([]);
    expect(await pollerFor().pollOnce()).toMatchObject({ skipped: false, imported: 1 });
  });

  test("start() polls in the background and stop() waits for it", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    const poller = pollerFor();
    poller.start();
    await expect.poll(async () => (await storedEmails()).map((e) => e.status), { timeout: 10_000 }).toEqual(["processed"]);
    await poller.stop();
    expect((await dovecot.messages())[0].flags).toContain("\\Seen");
  });
});

describe("OAuth2 sign-in (Google, Microsoft 365)", () => {
  const oauth2 = (overrides: Partial<Extract<ImapSettings["auth"], { method: "oauth2" }>> = {}): Partial<ImapSettings> => ({
    auth: { method: "oauth2", user: dovecot.user, tokenUrl: `${providerUrl}/token`, clientId: CLIENT.id, clientSecret: CLIENT.secret, refreshToken: REFRESH_TOKEN, scope: null, ...overrides },
  });

  test("the refresh token is exchanged at the token endpoint and the access token signs in with XOAUTH2; it is kept for the next poll", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    const poller = pollerFor(oauth2());

    expect(await poller.pollOnce()).toMatchObject({ imported: 1 });
    expect(await poller.pollOnce()).toMatchObject({ imported: 0 });

    expect(tokenRequests.map((form) => Object.fromEntries(form))).toEqual([
      { grant_type: "refresh_token", refresh_token: REFRESH_TOKEN, client_id: CLIENT.id, client_secret: CLIENT.secret },
    ]);
    expect(dovecot.log()).toMatch(/Login: user=<care@badgedesk\.test>, method=(OAUTHBEARER|XOAUTH2)/);
    expect((await messagesOf(t.ticketId)).at(-1)!.body).toBe("Thanks, the badge is in my backpack now.");
  });

  test("a token is exchanged again a minute before it expires, with the newest refresh token the provider gave", async () => {
    let clock = Date.parse("2026-12-04T10:00:00Z");
    const auth = oauth2().auth as Extract<ImapSettings["auth"], { method: "oauth2" }>;
    const source = accessTokenSource(auth, { now: () => clock });
    const first = await source.get();
    clock += 3600_000 - 61_000;
    expect(await source.get()).toBe(first);
    clock += 2_000;
    const second = await source.get();
    expect(second).not.toBe(first);
    expect(tokenRequests).toHaveLength(2);
    expect(tokenRequests[1].get("refresh_token")).not.toBe(REFRESH_TOKEN);
    expect(refreshTokens.has(tokenRequests[1].get("refresh_token")!)).toBe(true);
  });

  test("Microsoft 365 app-only: without a refresh token the client-credentials grant is used, with its scope", async () => {
    await dovecot.deliver((await gmailReply()).raw);
    const poller = pollerFor(oauth2({ refreshToken: null, scope: "https://outlook.office365.com/.default" }));
    expect(await poller.pollOnce()).toMatchObject({ imported: 1 });
    expect(Object.fromEntries(tokenRequests[0])).toEqual({ grant_type: "client_credentials", client_id: CLIENT.id, client_secret: CLIENT.secret, scope: "https://outlook.office365.com/.default" });
  });

  test("a revoked refresh token fails the poll with the provider's reason, and the mail stays unread", async () => {
    await dovecot.deliver((await gmailReply()).raw);
    const poller = pollerFor(oauth2({ refreshToken: "revoked-refresh-token" }));
    await expect(poller.pollOnce()).rejects.toThrow(/refused the refresh token \(invalid_grant: The refresh token is expired or revoked\.\)/);
    expect((await dovecot.messages())[0].flags).toEqual([]);
    expect(await storedEmails()).toEqual([]);
  });

  test("IMAP_ACCESS_TOKEN is passed as it is; a token the server doesn't accept is a clear sign-in error", async () => {
    const t = await gmailReply();
    await dovecot.deliver(t.raw);
    const token = `access-${randomUUID()}`;
    await expect(pollerFor({ auth: { method: "access-token", user: dovecot.user, accessToken: token } }).pollOnce()).rejects.toThrow(/refused to sign in care@badgedesk\.test/);
    issuedTokens.add(token);
    expect(await pollerFor({ auth: { method: "access-token", user: dovecot.user, accessToken: token } }).pollOnce()).toMatchObject({ imported: 1 });
  });
});
