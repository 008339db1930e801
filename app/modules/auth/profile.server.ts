// The learner's own account on My profile: their name, their password, where they are signed in,
// and closing the account (the auth side of it; the profile context composes the rest).
import { and, asc, eq, ne } from "drizzle-orm";
import { db, type Executor } from "#db/client.server";
import { accountEmailClaims, accountEmails, accountRoles, accounts, emailTokens, sessions } from "#db/schema";
import { audit } from "~/modules/audit";
import { enqueueMail, passwordChangedMessage } from "~/modules/mail";
import { hitRateLimit } from "~/modules/rate-limit";
import { newPasswordProblem } from "./password-policy.server";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./passwords.server";
import { sha256 } from "./tokens.server";

export async function changeName({ accountId, name }: { accountId: string; name: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).for("update");
    if (!before || before.name === name) return;
    await tx.update(accounts).set({ name }).where(eq(accounts.id, accountId));
    await audit(tx, { actorId: accountId, action: "account.name_changed", targetType: "account", targetId: accountId, accountId, before: { name: before.name }, after: { name } });
  });
}

// A stolen session must not become a way to guess the password: a person's pace only.
const OWN_PASSWORD_CHECKS = { limit: 10, windowSeconds: 60 * 60 };

/**
 * Whether `password` is the account's password, for My profile's changes (same time for a
 * missing hash). At most 10 checks an hour per account: after that, always false.
 */
export async function passwordMatches(tx: Executor, { accountId, password }: { accountId: string; password: string }): Promise<boolean> {
  const limit = await hitRateLimit({ key: `own-password:${accountId}`, ...OWN_PASSWORD_CHECKS });
  if (!limit.allowed) return false;
  const [row] = await tx.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, accountId));
  if (!row?.passwordHash) {
    await burnPasswordCheck(password);
    return false;
  }
  return verifyPassword(row.passwordHash, password);
}

export type ChangePasswordResult = { ok: true; signedOut: number } | { ok: false; errors: { currentPassword?: string; newPassword?: string } };

/**
 * A new password, given the current one. Every other session of the account ends (a thief who
 * knew the old password is out); this browser's session (`keepSessionId`, the cookie's token)
 * stays. The account's primary address is told by email.
 */
export async function changePassword({
  accountId,
  current,
  password,
  keepSessionToken,
}: {
  accountId: string;
  current: string;
  password: string;
  keepSessionToken: string | null;
}): Promise<ChangePasswordResult> {
  if (!(await passwordMatches(db, { accountId, password: current }))) return { ok: false, errors: { currentPassword: "That isn't your current password." } };
  const weak = newPasswordProblem(password);
  if (weak) return { ok: false, errors: { newPassword: weak } };
  if (password === current) return { ok: false, errors: { newPassword: "Choose a password different from your current one." } };
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash }).where(eq(accounts.id, accountId));
    const signedOut = await endOtherSessions(tx, { accountId, keepSessionToken });
    const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId));
    const [primary] = await tx
      .select({ email: accountEmails.email })
      .from(accountEmails)
      .where(and(eq(accountEmails.accountId, accountId), eq(accountEmails.isPrimary, true)));
    if (primary && account) await enqueueMail(tx, passwordChangedMessage({ to: primary.email, name: account.name }));
    await audit(tx, { actorId: accountId, action: "account.password_changed", targetType: "account", targetId: accountId, accountId, after: { otherSessionsEnded: signedOut } });
    return { ok: true, signedOut };
  });
}

export interface SessionView {
  /** An opaque handle: the first characters of the stored hash (never the cookie's token). */
  handle: string;
  device: string;
  signedInAt: Date;
  expiresAt: Date;
  current: boolean;
}

export async function listSessions({ accountId, currentSessionToken }: { accountId: string; currentSessionToken: string | null }): Promise<SessionView[]> {
  const currentId = currentSessionToken ? sha256(currentSessionToken) : null;
  const found = await db
    .select({ id: sessions.id, data: sessions.data, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(eq(sessions.accountId, accountId))
    .orderBy(asc(sessions.createdAt));
  return found
    .filter((s) => s.expiresAt.getTime() > Date.now())
    .map((s) => ({
      handle: s.id.slice(0, 8),
      device: typeof s.data?.device === "string" && s.data.device ? s.data.device : "A browser",
      signedInAt: s.createdAt,
      expiresAt: s.expiresAt,
      current: s.id === currentId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

async function endOtherSessions(tx: Executor, { accountId, keepSessionToken }: { accountId: string; keepSessionToken: string | null }): Promise<number> {
  const keep = keepSessionToken ? sha256(keepSessionToken) : "";
  const ended = await tx
    .delete(sessions)
    .where(and(eq(sessions.accountId, accountId), ne(sessions.id, keep)))
    .returning({ id: sessions.id });
  return ended.length;
}

/** "Sign out everywhere else": every session of the account but this browser's. */
export async function signOutOtherSessions({ accountId, keepSessionToken }: { accountId: string; keepSessionToken: string | null }): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await endOtherSessions(tx, { accountId, keepSessionToken });
    await audit(tx, { actorId: accountId, action: "account.sessions_ended", targetType: "account", targetId: accountId, accountId, after: { ended } });
    return ended;
  });
}

/**
 * The auth side of deleting an account, inside the deletion's transaction: the addresses are
 * released (anyone may sign up with them again; awards stay with the issuer, keyed by address),
 * links, roles and sessions go, and the account row stays as an empty, disabled shell, because
 * the append-only audit log points at it. Returns the addresses it held, for the caller's mail.
 */
export async function closeAccount(tx: Executor, { accountId }: { accountId: string }): Promise<{ name: string; primaryEmail: string | null; addressCount: number }> {
  const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).for("update");
  const emails = await tx
    .select({ email: accountEmails.email, isPrimary: accountEmails.isPrimary })
    .from(accountEmails)
    .where(eq(accountEmails.accountId, accountId))
    .orderBy(asc(accountEmails.createdAt));
  await tx.delete(emailTokens).where(eq(emailTokens.accountId, accountId));
  await tx.delete(accountEmailClaims).where(eq(accountEmailClaims.accountId, accountId));
  await tx.delete(accountEmails).where(eq(accountEmails.accountId, accountId));
  await tx.delete(accountRoles).where(eq(accountRoles.accountId, accountId));
  await tx.delete(sessions).where(eq(sessions.accountId, accountId));
  await tx.update(accounts).set({ name: "Deleted account", passwordHash: null, disabledAt: new Date() }).where(eq(accounts.id, accountId));
  // An account never verified has no primary: the address it signed up with hears of it instead.
  const contact = emails.find((e) => e.isPrimary) ?? emails[0];
  return { name: account?.name ?? "", primaryEmail: contact?.email ?? null, addressCount: emails.length };
}
