import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { accountEmails, accounts, auditLog, awards, kbArticles, kbVotes, sessions, ticketMessages, tickets } from "#db/schema";
import { checkCredentials, signUp } from "~/modules/auth";
import { changePassword, currentSessionToken, listSessions, signOutOtherSessions } from "~/modules/auth";
import { recordVote } from "~/modules/kb";
import { deleteMyAccount, exportMyData } from "~/modules/profile";
import { importTestArticles } from "../support/kb";
import { createLearner, latestMailTo, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import { award, createBadge, createSessionCookie, fileTicket } from "./accounts-fixtures";

beforeEach(async () => {
  await importTestArticles();
});

// This browser's session token, read from its cookie as the route does.
let here = "";
async function browserToken(cookie: string) {
  return (await currentSessionToken(new Request("http://badgedesk.test/my/profile", { headers: { Cookie: cookie } })))!;
}

async function someArticleSlug() {
  const [article] = await db.select({ slug: kbArticles.slug }).from(kbArticles).limit(1);
  if (!article) throw new Error("The test database has no article to vote on");
  return article.slug;
}

describe("My profile: password and sessions", () => {
  test("changing the password asks for the current one, keeps this browser signed in and signs out the others", async () => {
    const learner = await createLearner();
    here = await browserToken(await createSessionCookie(learner.id));
    await createSessionCookie(learner.id);
    await createSessionCookie(learner.id);

    expect(await changePassword({ accountId: learner.id, current: "not my password", password: "a brand new passphrase", keepSessionToken: here })).toEqual({
      ok: false,
      errors: { currentPassword: "That isn't your current password." },
    });
    expect(await changePassword({ accountId: learner.id, current: TEST_PASSWORD, password: "a brand new passphrase", keepSessionToken: here })).toEqual({
      ok: true,
      signedOut: 2,
    });
    const left = await listSessions({ accountId: learner.id, currentSessionToken: here });
    expect(left.map((s) => s.current)).toEqual([true]);
    expect(await checkCredentials({ email: learner.email, password: "a brand new passphrase", clientKey: "203.0.113.40" })).toEqual({ ok: true, accountId: learner.id });
    expect((await latestMailTo(learner.email))?.subject).toBe("Your badgedesk password was changed");
  });

  test("sign out everywhere else ends every session but this browser's", async () => {
    const learner = await createLearner();
    here = await browserToken(await createSessionCookie(learner.id));
    await createSessionCookie(learner.id);
    expect(await signOutOtherSessions({ accountId: learner.id, keepSessionToken: here })).toBe(1);
    expect(await db.select().from(sessions).where(eq(sessions.accountId, learner.id))).toHaveLength(1);
  });
});

describe("My profile: download my data, then delete the account", () => {
  test("the download holds the account, addresses, awards, tickets with messages and votes", async () => {
    const learner = await createLearner({ name: "Export Learner" });
    const badge = await createBadge("Export Badge", "Export Institute");
    await award(learner.email, { badge });
    const ticket = await fileTicket({ accountId: learner.id, name: learner.name, email: learner.email });
    const slug = await someArticleSlug();
    await recordVote({ slug, voterKey: `account:${learner.id}`, helpful: true, clientKey: "203.0.113.41" });

    const exported = (await exportMyData({ accountId: learner.id }))!;
    expect(exported.account).toMatchObject({ id: learner.id, name: "Export Learner" });
    expect(exported.addresses).toEqual([{ email: learner.email, verified: true, primary: true, movingHere: false }]);
    expect(exported.awards).toEqual([expect.objectContaining({ badge: "Export Badge", issuer: "Export Institute", sentTo: learner.email, status: "In your backpack" })]);
    expect(exported.tickets).toEqual([expect.objectContaining({ reference: ticket.reference, messages: [expect.objectContaining({ text: "My badge never reached my backpack. Please help." })] })]);
    expect(exported.votes).toEqual([expect.objectContaining({ article: slug, helpful: true })]);
  });

  test("deleting needs the password and the phrase; then the address is free, awards stay, tickets are anonymised, audit rows stay, and an email confirms", async () => {
    const email = uniqueEmail("leaving");
    const learner = await createLearner({ name: "Leaving Learner", email });
    const badge = await createBadge("Kept Badge", "Keeping Institute");
    const kept = await award(email, { badge });
    const ticket = await fileTicket({ accountId: learner.id, name: learner.name, email });
    const slug = await someArticleSlug();
    await recordVote({ slug, voterKey: `account:${learner.id}`, helpful: false, clientKey: "203.0.113.42" });
    const auditBefore = await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.actorId, learner.id));

    expect(await deleteMyAccount({ accountId: learner.id, password: TEST_PASSWORD, phrase: "delete it" })).toEqual({ ok: false, errors: { phrase: "Type “delete my account” to confirm." } });
    expect(await deleteMyAccount({ accountId: learner.id, password: "wrong password", phrase: "delete my account" })).toEqual({ ok: false, errors: { password: "That isn't your password." } });
    expect(await db.select().from(accountEmails).where(eq(accountEmails.accountId, learner.id))).toHaveLength(1);

    expect(await deleteMyAccount({ accountId: learner.id, password: TEST_PASSWORD, phrase: "  Delete My Account " })).toEqual({ ok: true, email });

    // The account is an empty, disabled shell: no name, no password, no address, no session.
    const [shell] = await db.select().from(accounts).where(eq(accounts.id, learner.id));
    expect(shell).toMatchObject({ name: "Deleted account", passwordHash: null });
    expect(shell.disabledAt).not.toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.accountId, learner.id))).toEqual([]);
    expect(await checkCredentials({ email, password: TEST_PASSWORD, clientKey: "203.0.113.43" })).toMatchObject({ ok: false });

    // The address is released: a new sign-up gets it, and the award (still the issuer's) with it.
    expect(await db.select().from(accountEmails).where(sql`lower(${accountEmails.email}) = lower(${email})`)).toEqual([]);
    const [stillThere] = await db.select().from(awards).where(eq(awards.id, kept.id));
    expect(stillThere.recipientEmail).toBe(email);
    expect(await signUp({ name: "Back Again", email, password: "a long enough password", clientKey: "203.0.113.44" })).toEqual({ ok: true, accountId: expect.any(String) });

    // The ticket stays, without the requester's name or address.
    const [anonymised] = await db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(anonymised).toMatchObject({ accountId: null, requesterName: "Deleted account", requesterEmail: "deleted-account@deleted.invalid", badgeEmail: null });
    const messages = await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id));
    expect(messages.filter((m) => m.authorKind === "requester").map((m) => m.authorName)).toEqual(messages.filter((m) => m.authorKind === "requester").map(() => "Deleted account"));

    // Votes still count, but no longer point at the account.
    expect(await db.select().from(kbVotes).where(eq(kbVotes.voterKey, `account:${learner.id}`))).toEqual([]);

    // The audit log keeps every earlier row and adds the deletion.
    const auditAfter = await db.select({ id: auditLog.id, action: auditLog.action }).from(auditLog).where(eq(auditLog.actorId, learner.id));
    expect(auditAfter.map((r) => r.id)).toEqual(expect.arrayContaining(auditBefore.map((r) => r.id)));
    expect(auditAfter.map((r) => r.action)).toContain("account.deleted");

    const mails = await db.execute(sql`select subject from mail_outbox where lower(to_address) = lower(${email}) order by created_at`);
    expect(JSON.stringify(mails)).toContain("Your badgedesk account was deleted");
  });
});
