import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { accountEmails, auditLog, emailTokens, sessions } from "#db/schema";
import {
  checkCredentials,
  findEmailRow,
  requestPasswordReset,
  resetPassword,
  sendVerificationLink,
  signUp,
  verifyEmailWithToken,
} from "~/modules/auth";
import { backgroundTasksPending, settleBackgroundTasks } from "~/lib/background-tasks.server";
import * as forgotPasswordRoute from "~/routes/forgot-password";
import * as loginRoute from "~/routes/login";
import * as signupRoute from "~/routes/signup";
import { addEmail, createLearner, latestMailTo, TEST_PASSWORD, tokenFromLink, uniqueEmail } from "../support/factories";
import { pageText, remixPages, textOfId } from "../support/remix-pages";

const client = "203.0.113.7";

async function signUpAna(email = uniqueEmail("ana")) {
  const result = await signUp({ name: "Ana Souza", email, password: "a long enough password", clientKey: client });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const row = await findEmailRow(db, email);
  return { accountId: row!.accountId, email };
}

describe("sign up and email verification", () => {
  test("signing up queues a verification email whose link verifies the address and makes it primary", async () => {
    const { email, accountId } = await signUpAna();
    const mail = await latestMailTo(email);
    expect(mail?.subject).toMatch(/verify your email/i);
    const [before] = await db.select().from(accountEmails).where(eq(accountEmails.accountId, accountId));
    expect(before.verifiedAt).toBeNull();

    const result = await verifyEmailWithToken({ token: tokenFromLink(mail!.textBody, "/verify-email") });
    expect(result).toMatchObject({ ok: true, email, becamePrimary: true });
    const [after] = await db.select().from(accountEmails).where(eq(accountEmails.accountId, accountId));
    expect(after.verifiedAt).not.toBeNull();
    expect(after.isPrimary).toBe(true);
  });

  test("a verification link works only once", async () => {
    const { email } = await signUpAna();
    const token = tokenFromLink((await latestMailTo(email))!.textBody, "/verify-email");
    expect((await verifyEmailWithToken({ token })).ok).toBe(true);
    expect(await verifyEmailWithToken({ token })).toEqual({ ok: false, problem: "used" });
  });

  test("an expired verification link is refused", async () => {
    const { email } = await signUpAna();
    const token = tokenFromLink((await latestMailTo(email))!.textBody, "/verify-email");
    await db.update(emailTokens).set({ expiresAt: new Date(Date.now() - 1000) });
    expect(await verifyEmailWithToken({ token })).toEqual({ ok: false, problem: "expired" });
  });

  test("the token is stored only as a hash", async () => {
    const { email } = await signUpAna();
    const token = tokenFromLink((await latestMailTo(email))!.textBody, "/verify-email");
    const stored = await db.select({ tokenHash: emailTokens.tokenHash }).from(emailTokens);
    expect(stored.map((s) => s.tokenHash)).not.toContain(token);
  });

  test("a second verified address does not take over as primary", async () => {
    const learner = await createLearner();
    const second = await addEmail(learner.id, uniqueEmail("second"));
    await db.update(emailTokens).set({ createdAt: new Date(Date.now() - 10 * 60 * 1000) });
    const sent = await sendVerificationLink({ accountId: learner.id, emailId: second.id, actorId: learner.id });
    expect(sent.ok).toBe(true);
    const token = tokenFromLink((await latestMailTo(second.email))!.textBody, "/verify-email");
    expect(await verifyEmailWithToken({ token })).toMatchObject({ ok: true, becamePrimary: false });
    const primary = await db.select().from(accountEmails).where(eq(accountEmails.isPrimary, true));
    expect(primary.map((p) => p.email)).toEqual([learner.email]);
  });

  test("a new link can be sent at most once per 5 minutes per address", async () => {
    const { email, accountId } = await signUpAna();
    const [row] = await db.select().from(accountEmails).where(eq(accountEmails.accountId, accountId));
    const tooSoon = await sendVerificationLink({ accountId, emailId: row.id, actorId: accountId });
    expect(tooSoon).toMatchObject({ ok: false, reason: "too_soon" });
    if (!tooSoon.ok && tooSoon.reason === "too_soon") expect(tooSoon.retryAfterSeconds).toBeGreaterThan(240);

    // Five minutes later (the sign-up link is now old enough) another may go out.
    await db.update(emailTokens).set({ createdAt: new Date(Date.now() - 5 * 60 * 1000 - 1000) });
    expect(await sendVerificationLink({ accountId, emailId: row.id, actorId: accountId })).toEqual({ ok: true, email });
    const links = await db.select().from(emailTokens).where(eq(emailTokens.emailId, row.id));
    expect(links).toHaveLength(2);
  });

  test("a learner can't send a link for someone else's address", async () => {
    const owner = await createLearner({ verified: false });
    const stranger = await createLearner();
    expect(await sendVerificationLink({ accountId: stranger.id, emailId: owner.emailId, actorId: stranger.id })).toEqual({ ok: false, reason: "not_found" });
  });

  test("signing up with an address verified on another account answers as any sign-up, and tells its owner by email", async () => {
    const existing = await createLearner({ email: "Taken@Example.test" });
    const result = await signUp({ name: "Someone", email: "taken@example.TEST", password: "a long enough password", clientKey: client });
    // Nothing was created, so nobody is signed in; the page the route shows is the same "check your inbox".
    expect(result).toEqual({ ok: true, accountId: null });
    const rows = await db.select().from(accountEmails).where(sql`lower(${accountEmails.email}) = 'taken@example.test'`);
    expect(rows.map((r) => r.accountId)).toEqual([existing.id]);
    const mail = await latestMailTo("Taken@Example.test");
    expect(mail?.subject).toBe("Someone tried to sign up to badgedesk with your address");
    expect(mail?.textBody).toContain("/forgot-password");
  });

  test("an address unverified on another account stays there until the newcomer opens the link sent to it", async () => {
    const first = await createLearner({ verified: false, email: "real.owner@example.test" });
    expect(await signUp({ name: "Ana Souza", email: "Real.Owner@example.test", password: "a long enough password", clientKey: client })).toEqual({ ok: true, accountId: expect.any(String) });
    const [still] = await db.select().from(accountEmails).where(sql`lower(${accountEmails.email}) = 'real.owner@example.test'`);
    expect(still.accountId).toBe(first.id);
    // Logging in with the address still reaches the account that holds it.
    expect(await checkCredentials({ email: "real.owner@example.test", password: TEST_PASSWORD, clientKey: client })).toEqual({ ok: true, accountId: first.id });

    const token = tokenFromLink((await latestMailTo("real.owner@example.test"))!.textBody, "/verify-email");
    const verified = await verifyEmailWithToken({ token });
    expect(verified).toMatchObject({ ok: true, moved: true, becamePrimary: true });
    const [moved] = await db.select().from(accountEmails).where(sql`lower(${accountEmails.email}) = 'real.owner@example.test'`);
    expect(moved.accountId).not.toBe(first.id);
    expect(moved.verifiedAt).not.toBeNull();
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "email.moved_unverified"))).toHaveLength(1);
  });
});

describe("log in", () => {
  test("the right password for any address on the account, in any case, signs in", async () => {
    const learner = await createLearner({ email: "Mixed.Case@example.test" });
    expect(await checkCredentials({ email: "mixed.case@EXAMPLE.test", password: TEST_PASSWORD, clientKey: client })).toEqual({ ok: true, accountId: learner.id });
  });

  test("a wrong password, an unknown address and a disabled account get the same answer", async () => {
    const learner = await createLearner();
    const disabled = await createLearner();
    await db.execute(sql`update accounts set disabled_at = now() where id = ${disabled.id}`);
    const wrong = await checkCredentials({ email: learner.email, password: "not the password", clientKey: client });
    const unknown = await checkCredentials({ email: uniqueEmail("nobody"), password: "whatever it is", clientKey: client });
    const locked = await checkCredentials({ email: disabled.email, password: TEST_PASSWORD, clientKey: client });
    expect(wrong).toEqual({ ok: false, message: "Email or password is wrong." });
    expect(unknown).toEqual(wrong);
    expect(locked).toEqual(wrong);
  });

  test("failures from strangers never lock the owner out: a client that hasn't failed logs in at once", async () => {
    const learner = await createLearner();
    for (let i = 0; i < 20; i++) await checkCredentials({ email: learner.email, password: `guess ${i} wrong`, clientKey: `attacker-${i % 4}` });
    expect(await checkCredentials({ email: learner.email, password: TEST_PASSWORD, clientKey: "owner-laptop" })).toEqual({ ok: true, accountId: learner.id });
  });

  test("one client failing with one address waits longer after each failure (2, 4, 8 s…), the right password included", async () => {
    const learner = await createLearner();
    const attacker = "198.51.100.67";
    const letTheWaitPass = () => db.execute(sql`update rate_limits set window_started_at = now() - interval '1 hour' where key like 'login:wait:%'`);
    // Two failures are free.
    for (let i = 0; i < 3; i++) expect(await checkCredentials({ email: learner.email, password: `guess ${i}`, clientKey: attacker })).toEqual({ ok: false, message: "Email or password is wrong." });
    const waits: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const refused = await checkCredentials({ email: learner.email, password: TEST_PASSWORD, clientKey: attacker });
      expect(refused.ok).toBe(false);
      if (!refused.ok) waits.push(refused.retryAfterSeconds);
      await letTheWaitPass();
      await checkCredentials({ email: learner.email, password: `another guess ${i}`, clientKey: attacker });
    }
    expect(waits).toEqual([2, 4, 8]);
    // The owner's own reset link still works whatever the waits (see "password reset").
  });

  test("the refusal's page says the same wait as its Retry-After header", async () => {
    const learner = await createLearner();
    const page = remixPages([{ id: "routes/login", path: "login", module: loginRoute }]);
    const context = { clientIp: "198.51.100.68", requestId: "test", cspNonce: "" };
    const attempt = (password: string) =>
      page(new Request("http://badgedesk.test/login", { method: "POST", body: new URLSearchParams({ email: learner.email, password, redirectTo: "/" }) }), context);
    for (let i = 0; i < 3; i++) expect((await attempt(`guess ${i}`)).status).toBe(400);
    const refused = await attempt(TEST_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("2");
    expect(pageText(await refused.text())).toContain("Please wait 2 seconds");
  });
});

describe("password reset", () => {
  test("the emailed link sets a new password, ends every session and is single use", async () => {
    const learner = await createLearner();
    await db.insert(sessions).values({ id: "old-session", accountId: learner.id, data: { accountId: learner.id }, expiresAt: new Date(Date.now() + 60_000) });
    await requestPasswordReset({ email: learner.email, clientKey: client });
    await settleBackgroundTasks();
    const token = tokenFromLink((await latestMailTo(learner.email))!.textBody, "/reset-password");

    expect(await resetPassword({ token, password: "a brand new password" })).toEqual({ ok: true });
    expect(await db.select().from(sessions).where(eq(sessions.accountId, learner.id))).toHaveLength(0);
    expect((await checkCredentials({ email: learner.email, password: "a brand new password", clientKey: client })).ok).toBe(true);
    expect((await checkCredentials({ email: learner.email, password: TEST_PASSWORD, clientKey: client })).ok).toBe(false);
    expect(await resetPassword({ token, password: "yet another password" })).toEqual({ ok: false, problem: "used" });
    expect((await latestMailTo(learner.email))?.subject).toMatch(/password was changed/i);
  });

  test("a reset link lets the owner in at once, even from the client whose failures made it wait", async () => {
    const learner = await createLearner();
    const shared = "198.51.100.69"; // the owner's network, which an attacker shares
    for (let i = 0; i < 6; i++) await checkCredentials({ email: learner.email, password: `guess ${i}`, clientKey: shared });
    expect(await checkCredentials({ email: learner.email, password: TEST_PASSWORD, clientKey: shared })).toMatchObject({ ok: false, retryAfterSeconds: expect.any(Number) });

    await requestPasswordReset({ email: learner.email, clientKey: shared });
    await settleBackgroundTasks();
    const token = tokenFromLink((await latestMailTo(learner.email))!.textBody, "/reset-password");
    expect(await resetPassword({ token, password: "a brand new password" })).toEqual({ ok: true });
    expect(await checkCredentials({ email: learner.email, password: "a brand new password", clientKey: shared })).toEqual({ ok: true, accountId: learner.id });
  });

  test("too many requests from one client: a 429 whose Retry-After is the real wait", async () => {
    const page = remixPages([{ id: "routes/forgot-password", path: "forgot-password", module: forgotPasswordRoute }]);
    const context = { clientIp: "198.51.100.70", requestId: "test", cspNonce: "" };
    const ask = () => page(new Request("http://badgedesk.test/forgot-password", { method: "POST", body: new URLSearchParams({ email: uniqueEmail("nobody") }) }), context);
    for (let i = 0; i < 10; i++) expect((await ask()).status).toBe(200);
    const refused = await ask();
    expect(refused.status).toBe(429);
    // The hour's window: far more than the server's 60 s floor.
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(3500);
    await settleBackgroundTasks();
  });

  test("the answer goes out before any lookup, so a known and an unknown address take the same time", async () => {
    await settleBackgroundTasks();
    const learner = await createLearner();
    expect(await requestPasswordReset({ email: learner.email, clientKey: client })).toEqual({ ok: true });
    // The address is looked up after the answer: that work is still waiting when the answer is back
    // (checked before any other I/O, so the background task can't have finished yet)...
    expect(backgroundTasksPending()).toBe(1);
    // ...and the mail follows.
    await settleBackgroundTasks();
    expect((await latestMailTo(learner.email))?.subject).toMatch(/reset your badgedesk password/i);
  });

  test("asking for a reset for an unknown address answers the same and sends nothing", async () => {
    const nobody = uniqueEmail("nobody");
    await settleBackgroundTasks();
    expect(await requestPasswordReset({ email: nobody, clientKey: client })).toEqual({ ok: true });
    // The same work is queued as for a known address.
    expect(backgroundTasksPending()).toBe(1);
    await settleBackgroundTasks();
    expect(await latestMailTo(nobody)).toBeNull();
  });
});

describe("password policy", () => {
  test.each(["1234567890", "password12", "          ", "qwertyuiop", "aaaaaaaaaaaa"])("sign-up refuses %j beside the password field", async (password) => {
    const email = uniqueEmail("weak");
    const result = await signUp({ name: "Weak", email, password, clientKey: client });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.password).toMatch(/common passwords|only spaces|different characters/);
    expect(await findEmailRow(db, email)).toBeNull();
  });

  test.each([
    ["password12", /most common passwords/],
    ["          ", /only spaces/],
  ])("the sign-up page says why %j is refused, beside the password field", async (password, reason) => {
    const page = remixPages([{ id: "routes/signup", path: "signup", module: signupRoute }]);
    const response = await page(
      new Request("http://badgedesk.test/signup", { method: "POST", body: new URLSearchParams({ name: "Weak", email: uniqueEmail("weak"), password }) }),
      { clientIp: "198.51.100.71", requestId: "test", cspNonce: "" },
    );
    expect(response.status).toBe(400);
    expect(textOfId(await response.text(), "field-password-error")).toMatch(reason);
  });

  test("a reset link can't set a common password either", async () => {
    const learner = await createLearner();
    await requestPasswordReset({ email: learner.email, clientKey: client });
    await settleBackgroundTasks();
    const token = tokenFromLink((await latestMailTo(learner.email))!.textBody, "/reset-password");
    expect(await resetPassword({ token, password: "password12" })).toMatchObject({ ok: false, problem: "weak_password" });
    expect(await resetPassword({ token, password: "a long enough password" })).toEqual({ ok: true });
  });
});
