import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { accountEmails, awards, emailTokens, mailOutbox } from "#db/schema";
import {
  addEmailAddress,
  awardStatesForAccount,
  cancelAddressMove,
  findAccountByAnyEmail,
  getMyBadges,
  loadAccountLookup,
  makeEmailPrimary,
  MAX_ADDRESSES_PER_ACCOUNT,
  previewAddressRemoval,
  removeAwardFromBackpack,
  removeEmailAddress,
  resendVerificationLink,
  restoreAward,
} from "~/modules/accounts";
import { signUp, verifyEmailWithToken } from "~/modules/auth";
import { addEmail, createLearner, latestMailTo, tokenFromLink, uniqueEmail } from "../support/factories";
import { award, createBadge, lastAudit } from "./accounts-fixtures";

async function linkTokenFor(address: string) {
  const mail = await latestMailTo(address);
  if (!mail) throw new Error(`No mail to ${address}`);
  return tokenFromLink(mail.textBody, "/verify-email");
}

async function mailsTo(address: string) {
  return db.select().from(mailOutbox).where(sql`lower(${mailOutbox.toAddress}) = lower(${address})`);
}

/** Moves the newest verification links for an address back in time, as if minutes had passed. */
async function ageLinks(emailId: string, minutes: number) {
  await db
    .update(emailTokens)
    .set({ createdAt: sql`${emailTokens.createdAt} - make_interval(mins => ${minutes})` })
    .where(eq(emailTokens.emailId, emailId));
}

/** An old account holding ana@school.example.edu unverified, and Ana (a new account) asking to move it here. */
async function anaMovesTheSchoolAddress() {
  const old = await createLearner({ email: uniqueEmail("old") });
  const school = await addEmail(old.id, "ana@school.example.edu");
  const ana = await createLearner();
  await addEmailAddress({ accountId: ana.id, email: "ana@school.example.edu", actorId: ana.id });
  return { old, school, ana };
}

async function emailRow(address: string) {
  const [row] = await db.select().from(accountEmails).where(sql`lower(${accountEmails.email}) = lower(${address})`);
  return row ?? null;
}

describe("adding an address", () => {
  test("a new address is added unverified, gets a link, and its badges reach the backpack once the link is opened", async () => {
    const ana = await createLearner();
    await award("ana@school.example.edu", { badge: await createBadge("Data Literacy") });

    const result = await addEmailAddress({ accountId: ana.id, email: "  ana@school.example.edu ", actorId: ana.id });
    expect(result).toEqual({ ok: true, outcome: "added", email: "ana@school.example.edu", linkSent: true });
    const row = await emailRow("ana@school.example.edu");
    expect(row).toMatchObject({ accountId: ana.id, verifiedAt: null, isPrimary: false });
    expect(await lastAudit(row!.id, "email.add")).toMatchObject({ actorId: ana.id, after: { email: "ana@school.example.edu", verified: false } });
    expect((await awardStatesForAccount({ accountId: ana.id }))!.awards.map((a) => a.state)).toEqual(["waiting_unverified"]);

    expect(await verifyEmailWithToken({ token: await linkTokenFor("ana@school.example.edu") })).toMatchObject({ ok: true, becamePrimary: false, moved: false });
    expect((await awardStatesForAccount({ accountId: ana.id }))!.awards.map((a) => a.state)).toEqual(["in_backpack"]);
  });

  test("an address already on the account, in any case, is answered as such and nothing is sent", async () => {
    const ana = await createLearner({ email: "ana@example.org" });
    const before = (await mailsTo("ana@example.org")).length;
    expect(await addEmailAddress({ accountId: ana.id, email: "ANA@Example.org", actorId: ana.id })).toEqual({
      ok: false,
      reason: "already_yours",
      email: "ana@example.org",
      verified: true,
    });
    expect(await mailsTo("ana@example.org")).toHaveLength(before);
  });

  test("an address verified on another account is refused and stays where it is", async () => {
    const owner = await createLearner({ email: "shared@example.org" });
    const ana = await createLearner();
    const result = await addEmailAddress({ accountId: ana.id, email: "Shared@Example.org", actorId: ana.id });
    expect(result).toEqual({ ok: false, reason: "verified_elsewhere", email: "Shared@Example.org" });
    expect((await emailRow("shared@example.org"))!.accountId).toBe(owner.id);
    expect(await mailsTo("shared@example.org")).toHaveLength(0);
    expect((await loadAccountLookup({ accountId: ana.id }))!.addresses).toHaveLength(1);
  });

  test("an address unverified on another account moves here only once verified from here", async () => {
    const old = await createLearner({ email: uniqueEmail("old") });
    const school = await addEmail(old.id, "ana@school.example.edu");
    const oldLink = await db.transaction(async (tx) => {
      const { issueEmailToken } = await import("~/modules/auth");
      return issueEmailToken(tx, { purpose: "verify_email", accountId: old.id, emailId: school.id });
    });
    await ageLinks(school.id, 10);
    await award("ana@school.example.edu", { badge: await createBadge("Data Literacy") });
    const ana = await createLearner();

    const added = await addEmailAddress({ accountId: ana.id, email: "ana@school.example.edu", actorId: ana.id });
    expect(added).toEqual({ ok: true, outcome: "moving", email: "ana@school.example.edu", linkSent: true });
    expect(await lastAudit(school.id, "email.move_requested")).toMatchObject({ actorId: ana.id, before: { accountId: old.id } });
    // Typing the address took nothing from anyone.
    expect((await emailRow("ana@school.example.edu"))!.accountId).toBe(old.id);

    const result = await verifyEmailWithToken({ token: await linkTokenFor("ana@school.example.edu") });
    expect(result).toMatchObject({ ok: true, accountId: ana.id, moved: true, becamePrimary: false });
    expect(await emailRow("ana@school.example.edu")).toMatchObject({ id: school.id, accountId: ana.id, isPrimary: false });
    expect((await emailRow("ana@school.example.edu"))!.verifiedAt).not.toBeNull();
    expect(await lastAudit(school.id, "email.moved_unverified")).toMatchObject({ actorId: ana.id, before: { accountId: old.id }, after: { accountId: ana.id } });
    expect((await awardStatesForAccount({ accountId: ana.id }))!.awards.map((a) => a.state)).toEqual(["in_backpack"]);
    expect((await loadAccountLookup({ accountId: old.id }))!.addresses.map((a) => a.email)).toEqual([old.email]);
    // The old account's link for the address died with the move.
    expect(await verifyEmailWithToken({ token: oldLink })).toEqual({ ok: false, problem: "used" });
  });

  test("if the other account verifies the address first, the link from here is refused and the address shows as taken", async () => {
    const { old, school, ana } = await anaMovesTheSchoolAddress();
    const anasLink = await linkTokenFor("ana@school.example.edu");
    await db.update(accountEmails).set({ verifiedAt: new Date() }).where(eq(accountEmails.id, school.id));

    expect(await verifyEmailWithToken({ token: anasLink })).toEqual({ ok: false, problem: "verified_elsewhere" });
    expect((await emailRow("ana@school.example.edu"))!.accountId).toBe(old.id);
    const view = await getMyBadges({ accountId: ana.id });
    expect(view!.addresses.map((a) => [a.email, a.kind])).toContainEqual(["ana@school.example.edu", "claim_taken"]);

    expect(await cancelAddressMove({ accountId: ana.id, emailId: school.id, actorId: ana.id })).toEqual({ ok: true, email: "ana@school.example.edu" });
    expect((await getMyBadges({ accountId: ana.id }))!.addresses.map((a) => a.email)).toEqual([ana.email]);
  });

  test("when two accounts try to move the same address, the first link opened wins and the other is told", async () => {
    const old = await createLearner({ email: uniqueEmail("old") });
    const school = await addEmail(old.id, "ana@school.example.edu");
    const [ana, ben] = [await createLearner(), await createLearner()];
    await addEmailAddress({ accountId: ana.id, email: "ana@school.example.edu", actorId: ana.id });
    const anasLink = await linkTokenFor("ana@school.example.edu");
    await ageLinks(school.id, 6);
    await addEmailAddress({ accountId: ben.id, email: "ana@school.example.edu", actorId: ben.id });
    const bensLink = await linkTokenFor("ana@school.example.edu");
    expect(bensLink).not.toBe(anasLink);

    expect(await verifyEmailWithToken({ token: anasLink })).toMatchObject({ ok: true, accountId: ana.id, moved: true });
    expect(await verifyEmailWithToken({ token: bensLink })).toEqual({ ok: false, problem: "used" });
    const bens = await getMyBadges({ accountId: ben.id });
    expect(bens!.addresses.find((a) => a.id === school.id)).toMatchObject({ kind: "claim_taken", canSendLink: false });
  });

  test("stopping a move kills the links already sent for it", async () => {
    const { old, school, ana } = await anaMovesTheSchoolAddress();
    const link = await linkTokenFor("ana@school.example.edu");

    expect(await removeEmailAddress({ accountId: ana.id, emailId: school.id, actorId: ana.id })).toEqual({
      ok: true,
      email: "ana@school.example.edu",
      leftBackpack: [],
      stoppedMoving: true,
    });
    expect(await lastAudit(school.id, "email.move_cancelled")).toMatchObject({ actorId: ana.id });
    expect(await verifyEmailWithToken({ token: link })).toEqual({ ok: false, problem: "unknown" });
    expect((await emailRow("ana@school.example.edu"))!.accountId).toBe(old.id);
  });

  test("two accounts adding the same new address: one gets it, the other is told it is being added elsewhere or moves it", async () => {
    const [ana, ben] = [await createLearner(), await createLearner()];
    const results = await Promise.all([
      addEmailAddress({ accountId: ana.id, email: "shared@school.example.edu", actorId: ana.id }),
      addEmailAddress({ accountId: ben.id, email: "shared@school.example.edu", actorId: ben.id }),
    ]);
    expect(results.map((r) => (r.ok ? r.outcome : r.reason)).sort()).toEqual(["added", "moving"]);
    expect((await db.select().from(accountEmails).where(sql`lower(${accountEmails.email}) = 'shared@school.example.edu'`)).length).toBe(1);
  });

  test(`an account holds at most ${MAX_ADDRESSES_PER_ACCOUNT} addresses`, async () => {
    const ana = await createLearner();
    for (let i = 1; i < MAX_ADDRESSES_PER_ACCOUNT; i++) await addEmail(ana.id, uniqueEmail("extra"));
    expect(await addEmailAddress({ accountId: ana.id, email: uniqueEmail("one-more"), actorId: ana.id })).toEqual({
      ok: false,
      reason: "too_many_addresses",
      limit: MAX_ADDRESSES_PER_ACCOUNT,
    });
  });

  test("adding is limited to 10 attempts an hour per account, so the page can't be used to send mail in bulk", async () => {
    const ana = await createLearner();
    for (let i = 0; i < 10; i++) expect((await addEmailAddress({ accountId: ana.id, email: ana.email, actorId: ana.id })).ok).toBe(false);
    const result = await addEmailAddress({ accountId: ana.id, email: uniqueEmail(), actorId: ana.id });
    expect(result).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(result.ok === false && result.reason === "rate_limited" && result.retryAfterSeconds).toBeGreaterThan(3000);
  });
});

describe("sending a verification link", () => {
  test("once per 5 minutes per address, with the wait in the answer", async () => {
    const ana = await createLearner();
    const school = await addEmail(ana.id, "ana@school.example.edu");

    expect(await resendVerificationLink({ accountId: ana.id, emailId: school.id, actorId: ana.id })).toEqual({ ok: true, email: "ana@school.example.edu" });
    expect(await lastAudit(school.id, "email.verification_sent")).toMatchObject({ actorId: ana.id });
    const tooSoon = await resendVerificationLink({ accountId: ana.id, emailId: school.id, actorId: ana.id });
    expect(tooSoon).toMatchObject({ ok: false, reason: "too_soon" });
    expect(tooSoon.ok === false && tooSoon.reason === "too_soon" && tooSoon.retryAfterSeconds).toBeGreaterThan(290);
    expect(await mailsTo("ana@school.example.edu")).toHaveLength(1);

    await ageLinks(school.id, 4);
    const stillTooSoon = await resendVerificationLink({ accountId: ana.id, emailId: school.id, actorId: ana.id });
    expect(stillTooSoon.ok === false && stillTooSoon.reason === "too_soon" && stillTooSoon.retryAfterSeconds).toBeLessThanOrEqual(60);
    await ageLinks(school.id, 2);
    expect((await resendVerificationLink({ accountId: ana.id, emailId: school.id, actorId: ana.id })).ok).toBe(true);
    expect(await mailsTo("ana@school.example.edu")).toHaveLength(2);
  });

  test("the limit holds for an address being moved here, whoever sent the last link", async () => {
    const { old, school, ana } = await anaMovesTheSchoolAddress();
    expect(await resendVerificationLink({ accountId: ana.id, emailId: school.id, actorId: ana.id })).toMatchObject({ ok: false, reason: "too_soon" });
    await ageLinks(school.id, 6);
    expect(await resendVerificationLink({ accountId: ana.id, emailId: school.id, actorId: ana.id })).toEqual({ ok: true, email: "ana@school.example.edu" });
    // Another account's owner asking first makes the newcomer wait too.
    const again = await addEmailAddress({ accountId: (await createLearner()).id, email: "ana@school.example.edu", actorId: ana.id });
    expect(again).toMatchObject({ ok: true, outcome: "moving", linkSent: false });
  });

  test("a verified address, or somebody else's, gets no link", async () => {
    const ana = await createLearner();
    const ben = await createLearner();
    const bensSchool = await addEmail(ben.id, "ben@school.example.edu");
    expect(await resendVerificationLink({ accountId: ana.id, emailId: ana.emailId, actorId: ana.id })).toEqual({ ok: false, reason: "already_verified" });
    expect(await resendVerificationLink({ accountId: ana.id, emailId: bensSchool.id, actorId: ana.id })).toEqual({ ok: false, reason: "not_found" });
    expect(await mailsTo("ben@school.example.edu")).toHaveLength(0);
  });
});

describe("the primary address", () => {
  test("a verified address becomes primary, the old one stays and is told", async () => {
    const ana = await createLearner({ email: "ana@example.org" });
    const work = await addEmail(ana.id, "ana@work.example", { verified: true });
    expect(await makeEmailPrimary({ accountId: ana.id, emailId: work.id, actorId: ana.id })).toEqual({ ok: true, email: "ana@work.example", previous: "ana@example.org" });
    const rows = await db.select().from(accountEmails).where(eq(accountEmails.accountId, ana.id));
    expect(rows.filter((r) => r.isPrimary).map((r) => r.email)).toEqual(["ana@work.example"]);
    expect((await latestMailTo("ana@example.org"))?.subject).toMatch(/primary .* changed/i);
    expect(await lastAudit(work.id, "email.make_primary")).toMatchObject({ actorId: ana.id, before: { primary: "ana@example.org" }, after: { primary: "ana@work.example" } });
  });

  test("an unverified address can't be primary, and the primary stays as it was", async () => {
    const ana = await createLearner();
    const school = await addEmail(ana.id, "ana@school.example.edu");
    expect(await makeEmailPrimary({ accountId: ana.id, emailId: school.id, actorId: ana.id })).toEqual({ ok: false, reason: "not_verified" });
    expect(await makeEmailPrimary({ accountId: ana.id, emailId: ana.emailId, actorId: ana.id })).toEqual({ ok: false, reason: "already_primary" });
    const other = await createLearner();
    expect(await makeEmailPrimary({ accountId: ana.id, emailId: other.emailId, actorId: ana.id })).toEqual({ ok: false, reason: "not_found" });
    expect((await emailRow(ana.email))!.isPrimary).toBe(true);
  });
});

describe("removing an address", () => {
  test("the confirm step names the badges that would leave the backpack, and removing does what it said", async () => {
    const ana = await createLearner({ email: "ana@example.org" });
    const work = await addEmail(ana.id, "ana@work.example", { verified: true });
    await award("ANA@work.example", { badge: await createBadge("Python Foundations", "Lakeside") });
    await award("ana@work.example", { badge: await createBadge("Laser Cutter", "Makerspace"), removed: true });
    await award("ana@example.org", { badge: await createBadge("Stays") });

    const preview = await previewAddressRemoval({ accountId: ana.id, emailId: work.id });
    expect(preview).toMatchObject({ email: "ana@work.example", kind: "own", blockedBecause: null });
    expect(preview!.leaving.map((b) => b.badgeName)).toEqual(["Python Foundations"]);
    expect(preview!.removedByYou.map((b) => b.badgeName)).toEqual(["Laser Cutter"]);

    expect(await removeEmailAddress({ accountId: ana.id, emailId: work.id, actorId: ana.id })).toEqual({
      ok: true,
      email: "ana@work.example",
      leftBackpack: ["Python Foundations (Lakeside)"],
      stoppedMoving: false,
    });
    expect(await emailRow("ana@work.example")).toBeNull();
    expect(await lastAudit(work.id, "email.remove")).toMatchObject({ actorId: ana.id, before: { email: "ana@work.example", verified: true } });
    expect((await latestMailTo("ana@work.example"))?.subject).toMatch(/removed/i);
    expect((await awardStatesForAccount({ accountId: ana.id }))!.awards.map((a) => a.award.badgeName)).toEqual(["Stays"]);
  });

  test("the primary address and the only address can't be removed", async () => {
    const ana = await createLearner();
    expect(await removeEmailAddress({ accountId: ana.id, emailId: ana.emailId, actorId: ana.id })).toEqual({ ok: false, reason: "primary" });
    const only = await createLearner({ verified: false });
    expect(await removeEmailAddress({ accountId: only.id, emailId: only.emailId, actorId: only.id })).toEqual({ ok: false, reason: "only_address" });
    expect((await previewAddressRemoval({ accountId: only.id, emailId: only.emailId }))!.blockedBecause).toMatch(/only address/);
    expect(await emailRow(only.email)).not.toBeNull();
  });

  test("somebody else's address can't be previewed or removed", async () => {
    const [ana, ben] = [await createLearner(), await createLearner()];
    const bensSchool = await addEmail(ben.id, "ben@school.example.edu");
    expect(await previewAddressRemoval({ accountId: ana.id, emailId: bensSchool.id })).toBeNull();
    expect(await removeEmailAddress({ accountId: ana.id, emailId: bensSchool.id, actorId: ana.id })).toEqual({ ok: false, reason: "not_found" });
    expect(await emailRow("ben@school.example.edu")).not.toBeNull();
  });
});

describe("the backpack", () => {
  test("a removed badge can be restored, and removed again", async () => {
    const emma = await createLearner();
    const removed = await award(emma.email, { badge: await createBadge("3D Printing Safety"), removed: true });
    expect(await restoreAward({ accountId: emma.id, awardId: removed.id, actorId: emma.id })).toEqual({ ok: true, badgeName: "3D Printing Safety" });
    expect(await lastAudit(removed.id, "award.restore")).toMatchObject({ actorId: emma.id, after: { removedByLearnerAt: null } });
    expect((await awardStatesForAccount({ accountId: emma.id }))!.awards[0].state).toBe("in_backpack");
    expect(await restoreAward({ accountId: emma.id, awardId: removed.id, actorId: emma.id })).toEqual({ ok: false, reason: "not_removed" });

    expect(await removeAwardFromBackpack({ accountId: emma.id, awardId: removed.id, actorId: emma.id })).toEqual({ ok: true, badgeName: "3D Printing Safety" });
    expect(await lastAudit(removed.id, "award.remove_from_backpack")).toMatchObject({ actorId: emma.id });
    expect((await awardStatesForAccount({ accountId: emma.id }))!.awards[0].state).toBe("removed");
  });

  test("only badges awarded to the learner's verified addresses can be restored or removed", async () => {
    const emma = await createLearner();
    await addEmail(emma.id, "emma@school.example.edu");
    const waiting = await award("emma@school.example.edu", { removed: true });
    const someoneElses = await award("someone@example.org", { removed: true });
    expect(await restoreAward({ accountId: emma.id, awardId: waiting.id, actorId: emma.id })).toEqual({ ok: false, reason: "not_found" });
    expect(await restoreAward({ accountId: emma.id, awardId: someoneElses.id, actorId: emma.id })).toEqual({ ok: false, reason: "not_found" });
    expect(await removeAwardFromBackpack({ accountId: emma.id, awardId: someoneElses.id, actorId: emma.id })).toEqual({ ok: false, reason: "not_found" });
    const [row] = await db.select().from(awards).where(and(eq(awards.id, someoneElses.id)));
    expect(row.removedByLearnerAt).not.toBeNull();
  });
});

describe("My badges", () => {
  test("Ana's badges at her unverified school address stay unnamed until she verifies it; then they show", async () => {
    const ana = await createLearner({ email: "ana.souza@example.org" });
    const school = await addEmail(ana.id, "ana.souza@lakeside.example.edu");
    await award("ana.souza@example.org", { badge: await createBadge("Python Foundations") });
    await award("Ana.Souza@Lakeside.example.edu", { badge: await createBadge("Spreadsheet Skills") });

    const before = (await getMyBadges({ accountId: ana.id }))!;
    expect(before.backpack.map((b) => b.badgeName)).toEqual(["Python Foundations"]);
    expect(JSON.stringify(before)).not.toContain("Spreadsheet Skills");
    expect(before.addresses.find((a) => a.id === school.id)).toMatchObject({ mayHaveBadgesWaiting: true, canSendLink: true, canRemove: true, linkSentOn: null });

    await resendVerificationLink({ accountId: ana.id, emailId: school.id, actorId: ana.id });
    expect((await getMyBadges({ accountId: ana.id }))!.addresses.find((a) => a.id === school.id)!.linkSentOn).toMatch(/UTC$/);
    await verifyEmailWithToken({ token: tokenFromLink((await latestMailTo(school.email))!.textBody, "/verify-email") });
    const after = (await getMyBadges({ accountId: ana.id }))!;
    expect(after.backpack.map((b) => b.badgeName).sort()).toEqual(["Python Foundations", "Spreadsheet Skills"]);
  });

  test("the three probes: an unverified sign-up, a sign-up with another's unverified address, an added address: no names shown", async () => {
    // 1. Signed up with an address on no account, never verified.
    await award("ben.okafor@gmial.example", { badge: await createBadge("3D Printing Safety") });
    await signUp({ name: "Mallory", email: "ben.okafor@gmial.example", password: "a long enough password", clientKey: "198.51.100.1" });
    const newcomer = (await findAccountByAnyEmail("ben.okafor@gmial.example"))!;
    expect(JSON.stringify(await getMyBadges({ accountId: newcomer.accountId }))).not.toContain("3D Printing Safety");

    // 2. Signed up with Ana's unverified school address: it stays on her account.
    const ana = await createLearner({ email: "ana.souza@example.org" });
    const school = await addEmail(ana.id, "ana.souza@lakeside.example.edu");
    await award("ana.souza@lakeside.example.edu", { badge: await createBadge("Data Literacy") });
    await signUp({ name: "Mallory", email: "ana.souza@lakeside.example.edu", password: "a long enough password", clientKey: "198.51.100.1" });
    expect((await findAccountByAnyEmail("ana.souza@lakeside.example.edu"))!.accountId).toBe(ana.id);

    // 3. Signed in, adds Ana's school address (and a verified stranger's is refused outright).
    const mallory = await createLearner();
    await addEmailAddress({ accountId: mallory.id, email: school.email, actorId: mallory.id });
    const view = (await getMyBadges({ accountId: mallory.id }))!;
    expect(JSON.stringify(view)).not.toMatch(/Data Literacy|Lakeside/);
    expect(view.addresses.find((a) => a.email === school.email)).toMatchObject({ kind: "claim", mayHaveBadgesWaiting: true });
    expect((await findAccountByAnyEmail(school.email))!.accountId).toBe(ana.id);
  });

  test("the account is looked up by id, so a deleted account shows nothing", async () => {
    expect(await getMyBadges({ accountId: "00000000-0000-4000-8000-000000000000" })).toBeNull();
    expect(await findAccountByAnyEmail("")).toBeNull();
  });
});
