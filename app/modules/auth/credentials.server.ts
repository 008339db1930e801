// Sign-up, email verification and password reset: the account side of signing in.
import { and, asc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";
import { accountEmailClaims, accountEmails, accountRoles, accounts, emailTokens, sessions } from "#db/schema";
import { audit } from "~/modules/audit";
import { enqueueMail, passwordChangedMessage, passwordResetMessage, signupAttemptMessage, verifyEmailMessage } from "~/modules/mail";
import { checkRateLimit, clearRateLimit, countRateLimit, hitRateLimit } from "~/modules/rate-limit";
import { runInBackground } from "~/lib/background-tasks.server";
import { config } from "~/lib/config.server";
import type { FieldErrors } from "~/lib/forms";
import { loginWaitMessage, loginWaitSeconds, MAX_LOGIN_WAIT_SECONDS } from "./login-throttle";
import { newPasswordProblem } from "./password-policy.server";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./passwords.server";
import type { Role, Viewer } from "./roles";
import { consumeEmailToken, issueEmailToken, lastVerificationSentAfter, peekEmailToken, revokeUnusedTokens, sha256, type TokenProblem } from "./tokens.server";

export const VERIFICATION_RESEND_INTERVAL_MS = 5 * 60 * 1000;

const LOGIN_FAILURE_WINDOW_SECONDS = 60 * 60;
const LOGIN_FAILURES_PER_CLIENT = { limit: 30, windowSeconds: 15 * 60 };
const SIGNUPS_PER_CLIENT = { limit: 10, windowSeconds: 60 * 60 };
const RESETS_PER_EMAIL = { limit: 3, windowSeconds: 60 * 60 };
const RESETS_PER_CLIENT = { limit: 10, windowSeconds: 60 * 60 };

export const WRONG_CREDENTIALS = "Email or password is wrong.";

export function findEmailRow(tx: Executor, email: string) {
  return tx
    .select()
    .from(accountEmails)
    .where(sql`lower(${accountEmails.email}) = lower(${email.trim()})`)
    .limit(1)
    .then(([row]) => row ?? null);
}

export async function loadViewer(accountId: string): Promise<Viewer | null> {
  return viewerWhere(sql`a.id = ${accountId}`);
}

/** The signed-in person of a session (by its token's hash), if the session is live and the account enabled. */
export async function loadViewerForSession(sessionIdHash: string): Promise<Viewer | null> {
  return viewerWhere(sql`a.id = (select s.account_id from sessions s where s.id = ${sessionIdHash} and s.expires_at > now())`);
}

// One statement for the viewer (account, primary address, roles): it runs on every signed-in
// page, where three round trips were a fifth of the database's work.
async function viewerWhere(condition: SQL): Promise<Viewer | null> {
  const [row] = rows<{ id: string; name: string; email: string | null; roles: string }>(
    await db.execute(sql`
      select a.id, a.name,
             (select e.email from account_emails e where e.account_id = a.id order by e.is_primary desc, e.created_at asc limit 1) as email,
             coalesce((select string_agg(r.role, ',' order by r.role) from account_roles r where r.account_id = a.id), '') as roles
      from accounts a
      where ${condition} and a.disabled_at is null`),
  );
  if (!row) return null;
  return { id: row.id, name: row.name, email: row.email ?? "", roles: row.roles ? (row.roles.split(",") as Role[]) : [] };
}

/** `accountId`: the account created, to sign in; none when the address is verified elsewhere (nothing was created). */
export type SignUpResult = { ok: true; accountId: string | null } | { ok: false; errors: FieldErrors };

/**
 * Creates an account and sends a verification link. Every address gets the same answer, so the
 * form never tells whether an address has an account (account discovery):
 * - an address nobody holds joins the new account, unverified;
 * - one that sits unverified on another account stays there: the new account asks for it (an
 *   address claim) and gets it only when the link sent to that address is opened;
 * - one verified on an account creates nothing; its owner is told by email instead.
 */
export async function signUp({ name, email, password, clientKey }: { name: string; email: string; password: string; clientKey: string }): Promise<SignUpResult> {
  const weak = newPasswordProblem(password);
  if (weak) return { ok: false, errors: { password: weak } };
  const limit = await hitRateLimit({ key: `signup:client:${clientKey}`, ...SIGNUPS_PER_CLIENT });
  if (!limit.allowed) return { ok: false, errors: { form: "Too many sign-ups from this network. Please try again in an hour." } };

  const passwordHash = await hashPassword(password);
  const accountId = await db.transaction(async (tx): Promise<string | null> => {
    const existing = await findEmailRow(tx, email);
    if (existing?.verifiedAt) {
      await enqueueMail(tx, signupAttemptMessage({ to: existing.email, link: `${config.appUrl}/forgot-password` }));
      await audit(tx, { actorId: null, action: "account.signup_refused", targetType: "email", targetId: existing.id, reason: "Address verified on an account" });
      return null;
    }
    const [account] = await tx.insert(accounts).values({ name, passwordHash }).returning({ id: accounts.id });
    if (existing) {
      await tx.insert(accountEmailClaims).values({ accountId: account.id, emailId: existing.id });
      await queueVerificationLink(tx, { accountId: account.id, name, emailId: existing.id, email: existing.email });
      await audit(tx, {
        actorId: account.id,
        action: "email.move_requested",
        targetType: "email",
        targetId: existing.id,
        before: { accountId: existing.accountId, email: existing.email, verified: false },
        after: { claimedBy: account.id },
        reason: "Signed up with an address that is unverified on another account; it moves once verified from the link",
      });
      await audit(tx, { actorId: account.id, action: "account.signup", targetType: "account", targetId: account.id, after: { name, email: existing.email, claim: true } });
      return account.id;
    }
    const [emailRow] = await tx.insert(accountEmails).values({ accountId: account.id, email: email.trim() }).returning();
    await queueVerificationLink(tx, { accountId: account.id, name, emailId: emailRow.id, email: emailRow.email });
    await audit(tx, { actorId: account.id, action: "account.signup", targetType: "account", targetId: account.id, after: { name, email: emailRow.email } });
    return account.id;
  });
  return { ok: true, accountId };
}

async function queueVerificationLink(tx: Executor, { accountId, name, emailId, email }: { accountId: string; name: string; emailId: string; email: string }) {
  const token = await issueEmailToken(tx, { purpose: "verify_email", accountId, emailId });
  await enqueueMail(tx, verifyEmailMessage({ to: email, name, link: `${config.appUrl}/verify-email?token=${token}` }));
}

export type ResendResult = { ok: true; email: string } | { ok: false; reason: "not_found" | "already_verified" } | { ok: false; reason: "too_soon"; retryAfterSeconds: number };

/** Sends a new verification link to one of the account's addresses, at most once per 5 minutes. */
export async function sendVerificationLink({ accountId, emailId, actorId }: { accountId: string; emailId: string; actorId: string }): Promise<ResendResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: accountEmails.id, email: accountEmails.email, verifiedAt: accountEmails.verifiedAt, name: accounts.name })
      .from(accountEmails)
      .innerJoin(accounts, eq(accounts.id, accountEmails.accountId))
      .where(and(eq(accountEmails.id, emailId), eq(accountEmails.accountId, accountId)))
      .for("update", { of: accountEmails })
      .limit(1);
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (row.verifiedAt) return { ok: false, reason: "already_verified" } as const;
    const recent = await lastVerificationSentAfter(tx, { emailId, since: new Date(Date.now() - VERIFICATION_RESEND_INTERVAL_MS) });
    if (recent) {
      const retryAfterSeconds = Math.ceil((recent.getTime() + VERIFICATION_RESEND_INTERVAL_MS - Date.now()) / 1000);
      return { ok: false, reason: "too_soon", retryAfterSeconds } as const;
    }
    await queueVerificationLink(tx, { accountId, name: row.name, emailId, email: row.email });
    await audit(tx, { actorId, action: "email.verification_sent", targetType: "email", targetId: emailId, after: { email: row.email } });
    return { ok: true, email: row.email } as const;
  });
}

export type VerifyResult =
  | { ok: true; email: string; accountId: string; becamePrimary: boolean; moved: boolean }
  | { ok: false; problem: TokenProblem | "verified_elsewhere" };

/**
 * Uses a verification link: the address becomes verified, and primary if the account had none.
 * A link sent to move an address that sits unverified on another account (an address claim,
 * see accounts' addEmailAddress) moves it here first, provided the claim is still live.
 */
export async function verifyEmailWithToken({ token }: { token: string }): Promise<VerifyResult> {
  return db.transaction(async (tx) => {
    const used = await consumeEmailToken(tx, { purpose: "verify_email", token });
    if (!used.ok) return { ok: false, problem: used.problem };
    let [emailRow] = await tx.select().from(accountEmails).where(eq(accountEmails.id, used.token.emailId!)).for("update").limit(1);
    if (!emailRow) return { ok: false, problem: "unknown" };
    const moved = emailRow.accountId !== used.token.accountId;
    if (moved) {
      if (emailRow.verifiedAt) return { ok: false, problem: "verified_elsewhere" };
      // A cancelled claim leaves its links dead. Other accounts' claims stay, to show them the
      // address went elsewhere.
      const [claim] = await tx
        .delete(accountEmailClaims)
        .where(and(eq(accountEmailClaims.emailId, emailRow.id), eq(accountEmailClaims.accountId, used.token.accountId)))
        .returning({ id: accountEmailClaims.id });
      if (!claim) return { ok: false, problem: "unknown" };
      await tx.update(accountEmails).set({ accountId: used.token.accountId, isPrimary: false }).where(eq(accountEmails.id, emailRow.id));
      // Links the old account (or other claimants) still hold for this address die with the move.
      await tx
        .update(emailTokens)
        .set({ usedAt: new Date() })
        .where(and(eq(emailTokens.emailId, emailRow.id), eq(emailTokens.purpose, "verify_email"), isNull(emailTokens.usedAt)));
      await audit(tx, {
        actorId: used.token.accountId,
        action: "email.moved_unverified",
        targetType: "email",
        targetId: emailRow.id,
        before: { accountId: emailRow.accountId, email: emailRow.email },
        after: { accountId: used.token.accountId },
        reason: "Verified by an account that was adding this address while it was unverified on another account",
      });
      emailRow = { ...emailRow, accountId: used.token.accountId, isPrimary: false };
    }
    const [primary] = await tx
      .select({ id: accountEmails.id })
      .from(accountEmails)
      .where(and(eq(accountEmails.accountId, emailRow.accountId), eq(accountEmails.isPrimary, true)))
      .limit(1);
    const becamePrimary = !primary;
    await tx
      .update(accountEmails)
      .set({ verifiedAt: emailRow.verifiedAt ?? new Date(), isPrimary: becamePrimary || emailRow.isPrimary })
      .where(eq(accountEmails.id, emailRow.id));
    await audit(tx, {
      actorId: emailRow.accountId,
      action: "email.verify",
      targetType: "email",
      targetId: emailRow.id,
      before: { verified: Boolean(emailRow.verifiedAt), primary: emailRow.isPrimary },
      after: { verified: true, primary: becamePrimary || emailRow.isPrimary },
    });
    return { ok: true, email: emailRow.email, accountId: emailRow.accountId, becamePrimary, moved };
  });
}

export type VerificationLinkStatus = "live" | "already_verified" | TokenProblem;

/**
 * What opening a verification link should show, without using it (mail scanners prefetch links):
 * "already_verified" when its address is verified on the account the link was for, whether by
 * this link or a newer one, so the page says so instead of offering a Verify button.
 */
export async function verificationLinkStatus(token: string): Promise<VerificationLinkStatus> {
  if (!token) return "unknown";
  const [row] = await db
    .select({ usedAt: emailTokens.usedAt, expiresAt: emailTokens.expiresAt, accountId: emailTokens.accountId, emailAccountId: accountEmails.accountId, verifiedAt: accountEmails.verifiedAt })
    .from(emailTokens)
    .leftJoin(accountEmails, eq(accountEmails.id, emailTokens.emailId))
    .where(and(eq(emailTokens.tokenHash, sha256(token)), eq(emailTokens.purpose, "verify_email")))
    .limit(1);
  if (!row) return "unknown";
  if (row.verifiedAt && row.emailAccountId === row.accountId) return "already_verified";
  if (row.usedAt) return "used";
  if (row.expiresAt.getTime() <= Date.now()) return "expired";
  return "live";
}

export type LoginResult = { ok: true; accountId: string } | { ok: false; message: string; retryAfterSeconds?: number };

/**
 * Checks a sign-in. A wrong password, an unknown address and a disabled account get the same
 * answer in about the same time. Failures slow down the next try of the same address from the
 * same client, more with each one (login-throttle.ts); a client failing with many addresses is
 * limited as a whole. Nobody else's failures ever lock the owner out.
 */
export async function checkCredentials({ email, password, clientKey }: { email: string; password: string; clientKey: string }): Promise<LoginResult> {
  const pair = `${email.trim().toLowerCase()}|${clientKey}`;
  const failuresKey = `login:failures:${pair}`;
  const waitKey = `login:wait:${pair}`;
  const clientLimitKey = `login:client:${clientKey}`;
  const [failures, byClient] = await Promise.all([
    countRateLimit({ key: failuresKey, windowSeconds: LOGIN_FAILURE_WINDOW_SECONDS }),
    checkRateLimit({ key: clientLimitKey, ...LOGIN_FAILURES_PER_CLIENT }),
  ]);
  const waitSeconds = loginWaitSeconds(failures);
  if (waitSeconds > 0) {
    const wait = await checkRateLimit({ key: waitKey, limit: 1, windowSeconds: waitSeconds });
    if (!wait.allowed) return { ok: false, message: loginWaitMessage(wait.retryAfterSeconds), retryAfterSeconds: wait.retryAfterSeconds };
  }
  if (!byClient.allowed) {
    return { ok: false, message: "Too many failed attempts from this network. Please try again later, or reset your password.", retryAfterSeconds: byClient.retryAfterSeconds };
  }
  const emailRow = await findEmailRow(db, email);
  const [account] = emailRow
    ? await db.select().from(accounts).where(eq(accounts.id, emailRow.accountId)).limit(1)
    : [];
  const passwordOk = account?.passwordHash ? await verifyPassword(account.passwordHash, password) : (await burnPasswordCheck(password), false);
  if (!account || !passwordOk || account.disabledAt) {
    await Promise.all([
      hitRateLimit({ key: failuresKey, limit: Number.MAX_SAFE_INTEGER, windowSeconds: LOGIN_FAILURE_WINDOW_SECONDS }),
      hitRateLimit({ key: clientLimitKey, ...LOGIN_FAILURES_PER_CLIENT }),
      // The wait runs from this failure.
      clearRateLimit(waitKey).then(() => hitRateLimit({ key: waitKey, limit: 1, windowSeconds: MAX_LOGIN_WAIT_SECONDS })),
    ]);
    return { ok: false, message: WRONG_CREDENTIALS };
  }
  await Promise.all([clearRateLimit(failuresKey), clearRateLimit(waitKey)]);
  return { ok: true, accountId: account.id };
}

/**
 * Always answers the same, in the same time, whether or not the address is known (no account
 * discovery): after the limits, which count alike for every address, the lookup and the mail
 * happen after the answer has gone.
 */
export async function requestPasswordReset({ email, clientKey }: { email: string; clientKey: string }): Promise<{ ok: true } | { ok: false; message: string; retryAfterSeconds: number }> {
  const byClient = await hitRateLimit({ key: `reset:client:${clientKey}`, ...RESETS_PER_CLIENT });
  const byEmail = await hitRateLimit({ key: `reset:email:${email.trim().toLowerCase()}`, ...RESETS_PER_EMAIL });
  if (!byClient.allowed) return { ok: false, message: "Too many reset requests from this network. Please try again later.", retryAfterSeconds: byClient.retryAfterSeconds };
  if (!byEmail.allowed) return { ok: true }; // quietly: don't flood someone's inbox
  runInBackground("password reset", () => sendResetLink(email));
  return { ok: true };
}

async function sendResetLink(email: string): Promise<void> {
  await db.transaction(async (tx) => {
    const emailRow = await findEmailRow(tx, email);
    if (!emailRow) return;
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, emailRow.accountId)).limit(1);
    if (!account || account.disabledAt) return;
    // An unverified address proves nothing about the account: it may be someone else's typo. A
    // reset link goes there only when the account has no verified address to send it to instead.
    if (!emailRow.verifiedAt && (await hasVerifiedAddress(tx, account.id))) return;
    const token = await issueEmailToken(tx, { purpose: "reset_password", accountId: account.id, emailId: emailRow.id });
    await enqueueMail(tx, passwordResetMessage({ to: emailRow.email, name: account.name, link: `${config.appUrl}/reset-password?token=${token}` }));
    await audit(tx, { actorId: null, action: "account.password_reset_requested", targetType: "account", targetId: account.id });
  });
}

async function hasVerifiedAddress(tx: Executor, accountId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: accountEmails.id })
    .from(accountEmails)
    .where(and(eq(accountEmails.accountId, accountId), isNotNull(accountEmails.verifiedAt)))
    .limit(1);
  return Boolean(row);
}

export async function checkResetToken(token: string): Promise<TokenProblem | null> {
  const found = await peekEmailToken(db, { purpose: "reset_password", token });
  return typeof found === "string" ? found : null;
}

/** Sets a new password from a reset link and signs the account out everywhere. */
export async function resetPassword({
  token,
  password,
}: {
  token: string;
  password: string;
}): Promise<{ ok: true } | { ok: false; problem: TokenProblem } | { ok: false; problem: "weak_password"; message: string }> {
  const weak = newPasswordProblem(password);
  if (weak) return { ok: false, problem: "weak_password", message: weak };
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const used = await consumeEmailToken(tx, { purpose: "reset_password", token });
    if (!used.ok) return { ok: false, problem: used.problem };
    const accountId = used.token.accountId;
    await tx.update(accounts).set({ passwordHash }).where(eq(accounts.id, accountId));
    await tx.delete(sessions).where(eq(sessions.accountId, accountId));
    await revokeUnusedTokens(tx, { accountId, purpose: "reset_password" });
    // The owner has just proved the mailbox: failed logins with the account's addresses, from any
    // client, stop slowing the new password down (someone else's guesses included).
    await tx.execute(sql`
      delete from rate_limits r using account_emails e
      where e.account_id = ${accountId}
        and (starts_with(r.key, 'login:failures:' || lower(e.email) || '|') or starts_with(r.key, 'login:wait:' || lower(e.email) || '|'))`);
    const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId));
    const [emailRow] = used.token.emailId
      ? await tx.select({ email: accountEmails.email }).from(accountEmails).where(eq(accountEmails.id, used.token.emailId))
      : [];
    if (emailRow) await enqueueMail(tx, passwordChangedMessage({ to: emailRow.email, name: account.name }));
    await audit(tx, { actorId: accountId, action: "account.password_reset", targetType: "account", targetId: accountId });
    return { ok: true };
  });
}
