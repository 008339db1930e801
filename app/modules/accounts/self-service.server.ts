// What a signed-in learner can change about their own addresses and backpack. Each change is one
// transaction with its audit row (actor = the learner) and any mail it causes.
import { and, desc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "#db/client.server";
import { accountEmailClaims, accountEmails, accounts, awards, badgeClasses, emailTokens, issuers } from "#db/schema";
import { audit } from "~/modules/audit";
import { issueEmailToken, sendVerificationLink, VERIFICATION_RESEND_INTERVAL_MS } from "~/modules/auth";
import { enqueueMail, verifyEmailMessage } from "~/modules/mail";
import { hitRateLimit } from "~/modules/rate-limit";
import { config } from "~/lib/config.server";
import { findAccountByAnyEmail, loadAccountLookup } from "./account-lookup.server";
import { misspeltAddressVerdict } from "./misspelt-address";
import { AddEmailInput } from "./schemas";
import { addressRemovedMessage, primaryAddressChangedMessage } from "./messages";
import { buildMyBadgesView, MAX_ADDRESSES_PER_ACCOUNT, removalPreview, type MyBadgesView, type RemovalPreview } from "./my-badges";
import { publishedArticlesForCodes } from "~/modules/kb";

// Each add sends mail to an address the learner merely typed: keep that from becoming a mailer.
const ADDS_PER_ACCOUNT = { limit: 10, windowSeconds: 60 * 60 };

// ---------------------------------------------------------------------------------------------
// Reading

/** Everything the My badges page shows; null if the account is gone. */
export async function getMyBadges({ accountId, now = new Date() }: { accountId: string; now?: Date }): Promise<MyBadgesView | null> {
  const [lookup, articles] = await Promise.all([loadAccountLookup({ accountId }), publishedArticlesForCodes()]);
  if (!lookup) return null;
  const pending = lookup.addresses.filter((a) => a.kind === "claim" || (a.kind === "own" && !a.verified)).map((a) => a.id);
  const linksSentAt = await lastLinksSent(db, { accountId, emailIds: pending });
  return buildMyBadgesView({ lookup, articles, now, linksSentAt });
}

// Each search reads the awards at an address the learner typed: keep it to a person's pace.
const MISSPELT_SEARCHES_PER_ACCOUNT = { limit: 30, windowSeconds: 60 * 60 };
const MISSPELT_AWARDS_SHOWN = 50;

export interface AwardAtMisspelling {
  id: string;
  badgeName: string;
  issuerName: string;
  issuedOn: Date;
}

export type MisspeltSearchResult =
  | { ok: false; reason: "invalid"; message: string }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  | { ok: true; verdict: "own_address"; address: string }
  | { ok: true; verdict: "not_shown"; address: string }
  | { ok: true; verdict: "misspelling"; address: string; meant: string; awards: AwardAtMisspelling[] };

/**
 * "A badge sent to a misspelt address?": the badges at an address the learner typed, when it is
 * on no account and looks like a typo of one of their verified addresses (misspelt-address.ts).
 */
export async function findBadgesAtMisspelling({ accountId, typed }: { accountId: string; typed: string }): Promise<MisspeltSearchResult> {
  const parsed = AddEmailInput.shape.email.safeParse(typed);
  if (!parsed.success) return { ok: false, reason: "invalid", message: parsed.error.issues[0]?.message ?? "Enter an email address." };
  const limit = await hitRateLimit({ key: `accounts:misspelt-search:${accountId}`, ...MISSPELT_SEARCHES_PER_ACCOUNT });
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };

  // Only the account's own addresses matter here, not its awards: a plain read, not the lookup.
  const [own, holder] = await Promise.all([
    db.select({ email: accountEmails.email, verifiedAt: accountEmails.verifiedAt }).from(accountEmails).where(eq(accountEmails.accountId, accountId)),
    findAccountByAnyEmail(parsed.data),
  ]);
  const ownAddresses = own.map((a) => ({ email: a.email, verified: a.verifiedAt !== null }));
  const verdict = misspeltAddressVerdict({ typed: parsed.data, ownAddresses, heldByAnAccount: holder !== null });
  if (verdict.kind === "own_address") return { ok: true, verdict: "own_address", address: parsed.data };
  if (verdict.kind === "not_shown") return { ok: true, verdict: "not_shown", address: parsed.data };

  const found = await db
    .select({ id: awards.id, badgeName: badgeClasses.name, issuerName: issuers.name, issuedOn: awards.issuedOn })
    .from(awards)
    .innerJoin(badgeClasses, eq(badgeClasses.id, awards.badgeClassId))
    .innerJoin(issuers, eq(issuers.id, badgeClasses.issuerId))
    .where(sql`lower(${awards.recipientEmail}) = ${verdict.address}`)
    .orderBy(desc(awards.issuedOn), awards.id)
    .limit(MISSPELT_AWARDS_SHOWN);
  return { ok: true, verdict: "misspelling", address: verdict.address, meant: verdict.meant, awards: found };
}

/** The confirm step before removing an address; null if it isn't one of the account's own. */
export async function previewAddressRemoval({ accountId, emailId, now = new Date() }: { accountId: string; emailId: string; now?: Date }): Promise<RemovalPreview | null> {
  const lookup = await loadAccountLookup({ accountId });
  return lookup ? removalPreview(lookup, emailId, now) : null;
}

/** When this account last sent a verification link to each of these addresses (last 24 hours). */
async function lastLinksSent(tx: Executor, { accountId, emailIds }: { accountId: string; emailIds: string[] }): Promise<Map<string, Date>> {
  if (emailIds.length === 0) return new Map();
  const found = await tx
    .select({ emailId: emailTokens.emailId, sentAt: sql<Date>`max(${emailTokens.createdAt})`.mapWith((v) => new Date(v)) })
    .from(emailTokens)
    .where(
      and(
        inArray(emailTokens.emailId, emailIds),
        eq(emailTokens.purpose, "verify_email"),
        eq(emailTokens.accountId, accountId),
        gt(emailTokens.createdAt, new Date(Date.now() - 24 * 60 * 60 * 1000)),
      ),
    )
    .groupBy(emailTokens.emailId);
  return new Map(found.map((f) => [f.emailId!, f.sentAt]));
}

// ---------------------------------------------------------------------------------------------
// Adding an address

export type AddEmailResult =
  | { ok: true; outcome: "added" | "moving"; email: string; linkSent: true }
  | { ok: true; outcome: "moving"; email: string; linkSent: false; retryAfterSeconds: number }
  | { ok: false; reason: "already_yours"; email: string; verified: boolean }
  | { ok: false; reason: "already_moving"; email: string }
  | { ok: false; reason: "verified_elsewhere"; email: string }
  | { ok: false; reason: "too_many_addresses"; limit: number }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Adds an address and sends it a verification link. An address nobody holds is added unverified.
 * One that sits unverified on another account stays there until it is verified from here: then
 * it moves (nobody has proved they own it yet, so nobody can take it from anyone by typing it).
 * One verified on another account is refused.
 */
export async function addEmailAddress({ accountId, email, actorId }: { accountId: string; email: string; actorId: string }): Promise<AddEmailResult> {
  const address = email.trim();
  const limit = await hitRateLimit({ key: `accounts:add-email:${accountId}`, ...ADDS_PER_ACCOUNT });
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };

  return db.transaction(async (tx) => {
    // Serialises this account's address changes, so the count below can't be raced past.
    const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).for("update").limit(1);
    if (!account) throw new Error(`Account ${accountId} not found`);

    for (let attempt = 0; attempt < 2; attempt++) {
      const [existing] = await tx
        .select()
        .from(accountEmails)
        .where(sql`lower(${accountEmails.email}) = lower(${address})`)
        .for("update")
        .limit(1);

      if (existing?.accountId === accountId) return { ok: false, reason: "already_yours", email: existing.email, verified: Boolean(existing.verifiedAt) } as const;
      if (existing?.verifiedAt) return { ok: false, reason: "verified_elsewhere", email: address } as const;

      if (existing) {
        const [claimed] = await tx
          .select({ id: accountEmailClaims.id })
          .from(accountEmailClaims)
          .where(and(eq(accountEmailClaims.accountId, accountId), eq(accountEmailClaims.emailId, existing.id)))
          .limit(1);
        if (claimed) return { ok: false, reason: "already_moving", email: existing.email } as const;
      }
      if ((await countAddresses(tx, accountId)) >= MAX_ADDRESSES_PER_ACCOUNT) {
        return { ok: false, reason: "too_many_addresses", limit: MAX_ADDRESSES_PER_ACCOUNT } as const;
      }

      if (existing) {
        await tx.insert(accountEmailClaims).values({ accountId, emailId: existing.id });
        await audit(tx, {
          actorId,
          action: "email.move_requested",
          targetType: "email",
          targetId: existing.id,
          before: { accountId: existing.accountId, email: existing.email, verified: false },
          after: { claimedBy: accountId },
          reason: "Added an address that is unverified on another account; it moves once verified here",
        });
        const wait = await resendWaitSeconds(tx, existing.id);
        if (wait > 0) return { ok: true, outcome: "moving", email: existing.email, linkSent: false, retryAfterSeconds: wait } as const;
        await queueVerificationLink(tx, { accountId, name: account.name, emailId: existing.id, email: existing.email });
        return { ok: true, outcome: "moving", email: existing.email, linkSent: true } as const;
      }

      // Two accounts adding the same new address at once: the unique index lets one win, and the
      // other goes round once more and finds the address taken.
      const [row] = await tx.insert(accountEmails).values({ accountId, email: address }).onConflictDoNothing().returning();
      if (!row) continue;
      await audit(tx, { actorId, action: "email.add", targetType: "email", targetId: row.id, after: { accountId, email: row.email, verified: false } });
      await queueVerificationLink(tx, { accountId, name: account.name, emailId: row.id, email: row.email });
      return { ok: true, outcome: "added", email: row.email, linkSent: true } as const;
    }
    throw new Error("An address kept changing hands while being added");
  });
}

export async function countAddresses(tx: Executor, accountId: string): Promise<number> {
  const [own] = await tx.select({ n: sql<number>`count(*)::int` }).from(accountEmails).where(eq(accountEmails.accountId, accountId));
  const [moving] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(accountEmailClaims)
    .innerJoin(accountEmails, eq(accountEmails.id, accountEmailClaims.emailId))
    .where(and(eq(accountEmailClaims.accountId, accountId), isNull(accountEmails.verifiedAt)));
  return Number(own.n) + Number(moving.n);
}

export async function queueVerificationLink(tx: Executor, { accountId, name, emailId, email }: { accountId: string; name: string; emailId: string; email: string }) {
  const token = await issueEmailToken(tx, { purpose: "verify_email", accountId, emailId });
  await enqueueMail(tx, verifyEmailMessage({ to: email, name, link: `${config.appUrl}/verify-email?token=${token}` }));
}

/** Seconds until another verification link may go to this address (one per 5 minutes, whoever asks). */
export async function resendWaitSeconds(tx: Executor, emailId: string): Promise<number> {
  const [last] = await tx
    .select({ createdAt: emailTokens.createdAt })
    .from(emailTokens)
    .where(and(eq(emailTokens.emailId, emailId), eq(emailTokens.purpose, "verify_email"), gt(emailTokens.createdAt, new Date(Date.now() - VERIFICATION_RESEND_INTERVAL_MS))))
    .orderBy(desc(emailTokens.createdAt))
    .limit(1);
  return last ? Math.max(1, Math.ceil((last.createdAt.getTime() + VERIFICATION_RESEND_INTERVAL_MS - Date.now()) / 1000)) : 0;
}

// ---------------------------------------------------------------------------------------------
// Verification links

export type SendLinkResult =
  | { ok: true; email: string }
  | { ok: false; reason: "not_found" | "already_verified" | "verified_elsewhere" }
  | { ok: false; reason: "too_soon"; retryAfterSeconds: number };

/** A new verification link for one of the account's addresses or for an address moving here. */
export async function resendVerificationLink({ accountId, emailId, actorId }: { accountId: string; emailId: string; actorId: string }): Promise<SendLinkResult> {
  const [claim] = await db
    .select({ id: accountEmailClaims.id })
    .from(accountEmailClaims)
    .where(and(eq(accountEmailClaims.accountId, accountId), eq(accountEmailClaims.emailId, emailId)))
    .limit(1);
  if (!claim) return sendVerificationLink({ accountId, emailId, actorId });

  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(accountEmails).where(eq(accountEmails.id, emailId)).for("update").limit(1);
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (row.accountId === accountId) return { ok: false, reason: "already_verified" } as const;
    if (row.verifiedAt) return { ok: false, reason: "verified_elsewhere" } as const;
    const wait = await resendWaitSeconds(tx, emailId);
    if (wait > 0) return { ok: false, reason: "too_soon", retryAfterSeconds: wait } as const;
    const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
    await queueVerificationLink(tx, { accountId, name: account?.name ?? "", emailId, email: row.email });
    await audit(tx, { actorId, action: "email.verification_sent", targetType: "email", targetId: emailId, after: { email: row.email, movingTo: accountId } });
    return { ok: true, email: row.email } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// Primary address

export type MakePrimaryResult = { ok: true; email: string; previous: string | null } | { ok: false; reason: "not_found" | "not_verified" | "already_primary" };

export async function makeEmailPrimary({ accountId, emailId, actorId }: { accountId: string; emailId: string; actorId: string }): Promise<MakePrimaryResult> {
  return db.transaction(async (tx) => {
    const change = await makePrimaryIn(tx, { accountId, emailId });
    if (!change.ok) return change.result;
    await audit(tx, { actorId, action: "email.make_primary", targetType: "email", targetId: emailId, before: change.before, after: change.after });
    return change.result;
  });
}

/**
 * The rule and the change behind "Make primary", inside the caller's transaction (the learner's
 * page and Customer Care's action each add their own audit row): only a verified address of the
 * account, and the old primary address is told by email.
 */
export async function makePrimaryIn(tx: Executor, { accountId, emailId }: { accountId: string; emailId: string }) {
  const rows = await tx.select().from(accountEmails).where(eq(accountEmails.accountId, accountId)).for("update");
  const target = rows.find((r) => r.id === emailId);
  if (!target) return { ok: false, result: { ok: false, reason: "not_found" } } as const;
  if (!target.verifiedAt) return { ok: false, result: { ok: false, reason: "not_verified" } } as const;
  if (target.isPrimary) return { ok: false, result: { ok: false, reason: "already_primary" } } as const;
  const previous = rows.find((r) => r.isPrimary) ?? null;
  // One primary per account (a unique index): clear the old one before setting the new one.
  if (previous) await tx.update(accountEmails).set({ isPrimary: false }).where(eq(accountEmails.id, previous.id));
  await tx.update(accountEmails).set({ isPrimary: true }).where(eq(accountEmails.id, target.id));
  if (previous) {
    const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
    await enqueueMail(tx, primaryAddressChangedMessage({ to: previous.email, name: account?.name ?? "", newPrimary: target.email, appUrl: config.appUrl }));
  }
  return {
    ok: true,
    result: { ok: true, email: target.email, previous: previous?.email ?? null },
    before: { primary: previous?.email ?? null },
    after: { primary: target.email },
  } as const;
}

// ---------------------------------------------------------------------------------------------
// Removing an address, or giving up moving one here

export type RemoveAddressResult =
  | { ok: true; email: string; leftBackpack: string[]; stoppedMoving: boolean }
  | { ok: false; reason: "not_found" | "primary" | "only_address" };

/**
 * Removes one of the account's own addresses (never the primary one or the only one); badges
 * awarded to it leave the backpack and come back if it is added and verified again. For an
 * address still moving here from another account, stops the move instead.
 */
export async function removeEmailAddress({ accountId, emailId, actorId }: { accountId: string; emailId: string; actorId: string }): Promise<RemoveAddressResult> {
  return db.transaction(async (tx) => {
    const owned = await tx.select({ id: accountEmails.id }).from(accountEmails).where(and(eq(accountEmails.id, emailId), eq(accountEmails.accountId, accountId))).limit(1);
    if (owned.length === 0) {
      const cancelled = await cancelMove(tx, { accountId, emailId, actorId });
      return cancelled ? ({ ok: true, email: cancelled.email, leftBackpack: [], stoppedMoving: true } as const) : ({ ok: false, reason: "not_found" } as const);
    }
    const change = await removeAddressIn(tx, { accountId, emailId });
    if (!change.ok) return change.result;
    await audit(tx, { actorId, action: "email.remove", targetType: "email", targetId: emailId, before: change.before, after: change.after });
    return change.result;
  });
}

/**
 * The rule and the change behind removing one of the account's own addresses, inside the
 * caller's transaction: never the primary or the only one; its badges leave the backpack; a
 * verified address is told.
 */
export async function removeAddressIn(tx: Executor, { accountId, emailId }: { accountId: string; emailId: string }) {
  const rows = await tx.select().from(accountEmails).where(eq(accountEmails.accountId, accountId)).for("update");
  const target = rows.find((r) => r.id === emailId);
  if (!target) return { ok: false, result: { ok: false, reason: "not_found" } } as const;
  if (target.isPrimary) return { ok: false, result: { ok: false, reason: "primary" } } as const;
  if (rows.length <= 1) return { ok: false, result: { ok: false, reason: "only_address" } } as const;
  const lookup = await loadAccountLookup({ accountId }, tx);
  const preview = lookup ? removalPreview(lookup, emailId, new Date()) : null;
  const leftBackpack = (preview?.leaving ?? []).map((b) => `${b.badgeName} (${b.issuerName})`);
  await tx.delete(accountEmails).where(eq(accountEmails.id, target.id));
  if (target.verifiedAt) {
    const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
    await enqueueMail(tx, addressRemovedMessage({ to: target.email, name: account?.name ?? "", appUrl: config.appUrl }));
  }
  return {
    ok: true,
    result: { ok: true, email: target.email, leftBackpack, stoppedMoving: false },
    before: { accountId, email: target.email, verified: Boolean(target.verifiedAt) },
    after: { leftBackpack, stoppedWaiting: (preview?.stopWaiting ?? []).map((b) => b.awardId) },
  } as const;
}

/** Dismisses an address that was verified on another account while it was moving here, or stops a move. */
export async function cancelAddressMove({ accountId, emailId, actorId }: { accountId: string; emailId: string; actorId: string }): Promise<{ ok: true; email: string } | { ok: false; reason: "not_found" }> {
  return db.transaction(async (tx) => {
    const cancelled = await cancelMove(tx, { accountId, emailId, actorId });
    return cancelled ? ({ ok: true, email: cancelled.email } as const) : ({ ok: false, reason: "not_found" } as const);
  });
}

// Deleting the claim is what stops the move: links already sent only move an address with a live claim.
async function cancelMove(tx: Executor, { accountId, emailId, actorId }: { accountId: string; emailId: string; actorId: string }) {
  const [claim] = await tx
    .delete(accountEmailClaims)
    .where(and(eq(accountEmailClaims.accountId, accountId), eq(accountEmailClaims.emailId, emailId)))
    .returning({ id: accountEmailClaims.id });
  if (!claim) return null;
  const [row] = await tx.select({ email: accountEmails.email, verifiedAt: accountEmails.verifiedAt }).from(accountEmails).where(eq(accountEmails.id, emailId)).limit(1);
  await audit(tx, {
    actorId,
    action: "email.move_cancelled",
    targetType: "email",
    targetId: emailId,
    before: { claimedBy: accountId, email: row?.email ?? null },
    reason: row?.verifiedAt ? "Dismissed: verified on another account meanwhile" : "Stopped adding it",
  });
  return { email: row?.email ?? "" };
}

// ---------------------------------------------------------------------------------------------
// The backpack

export type BackpackResult = { ok: true; badgeName: string } | { ok: false; reason: "not_found" | "not_removed" | "not_in_backpack" };

/** The award if it was made to one of the account's verified addresses, locked for the change. */
async function ownAwardForUpdate(tx: Executor, { accountId, awardId }: { accountId: string; awardId: string }) {
  const [row] = await tx
    .select({ id: awards.id, removedAt: awards.removedByLearnerAt, badgeName: sql<string>`(select name from badge_classes where id = ${awards.badgeClassId})` })
    .from(awards)
    .where(
      and(
        eq(awards.id, awardId),
        sql`lower(${awards.recipientEmail}) in (
          select lower(${accountEmails.email}) from ${accountEmails}
          where ${accountEmails.accountId} = ${accountId} and ${accountEmails.verifiedAt} is not null)`,
      ),
    )
    .for("update", { of: awards })
    .limit(1);
  return row ?? null;
}

/** Puts a badge the learner removed back in their backpack. */
export async function restoreAward({ accountId, awardId, actorId }: { accountId: string; awardId: string; actorId: string }): Promise<BackpackResult> {
  return db.transaction(async (tx) => {
    const change = await restoreAwardIn(tx, { accountId, awardId });
    if (!change.ok) return change.result;
    await audit(tx, { actorId, action: "award.restore", targetType: "award", targetId: awardId, before: change.before, after: change.after });
    return change.result;
  });
}

/** The rule and the change behind "Restore", inside the caller's transaction. */
export async function restoreAwardIn(tx: Executor, { accountId, awardId }: { accountId: string; awardId: string }) {
  const award = await ownAwardForUpdate(tx, { accountId, awardId });
  if (!award) return { ok: false, result: { ok: false, reason: "not_found" } } as const;
  if (!award.removedAt) return { ok: false, result: { ok: false, reason: "not_removed" } } as const;
  await tx.update(awards).set({ removedByLearnerAt: null }).where(and(eq(awards.id, awardId), isNotNull(awards.removedByLearnerAt)));
  return {
    ok: true,
    result: { ok: true, badgeName: award.badgeName },
    before: { removedByLearnerAt: award.removedAt },
    after: { removedByLearnerAt: null },
  } as const;
}

/** Takes a badge out of the backpack; it can be restored at any time. */
export async function removeAwardFromBackpack({ accountId, awardId, actorId }: { accountId: string; awardId: string; actorId: string }): Promise<BackpackResult> {
  return db.transaction(async (tx) => {
    const award = await ownAwardForUpdate(tx, { accountId, awardId });
    if (!award) return { ok: false, reason: "not_found" } as const;
    if (award.removedAt) return { ok: false, reason: "not_in_backpack" } as const;
    const removedAt = new Date();
    await tx.update(awards).set({ removedByLearnerAt: removedAt }).where(and(eq(awards.id, awardId), isNull(awards.removedByLearnerAt)));
    await audit(tx, { actorId, action: "award.remove_from_backpack", targetType: "award", targetId: awardId, before: { removedByLearnerAt: null }, after: { removedByLearnerAt: removedAt } });
    return { ok: true, badgeName: award.badgeName } as const;
  });
}
