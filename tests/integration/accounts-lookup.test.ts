import { describe, expect, test } from "vitest";
import {
  addEmailAddress,
  awardStatesForAccount,
  findAccountByAnyEmail,
  getAccountDiagnosis,
  intendedAddress,
  loadAccountLookup,
  loadAccountSnapshot,
} from "~/modules/accounts";
import { addEmail, createLearner, uniqueEmail } from "../support/factories";
import { award, createBadge, daysAgo, invite, revoke } from "./accounts-fixtures";

const statesOf = async (key: { accountId: string } | { email: string }) => {
  const found = await awardStatesForAccount(key);
  return Object.fromEntries((found?.awards ?? []).map((a) => [a.award.badgeName, a.state]));
};

describe("finding an account by any of its addresses", () => {
  test("any address, in any case, verified or not, finds the same account", async () => {
    const ana = await createLearner({ name: "Ana", email: "ana.souza@example.org" });
    await addEmail(ana.id, "ana.souza@lakeside.example.edu");
    await createLearner({ email: uniqueEmail() });

    for (const email of ["ana.souza@example.org", "ANA.SOUZA@Example.org", "  Ana.Souza@Lakeside.Example.EDU "]) {
      expect((await findAccountByAnyEmail(email))?.accountId).toBe(ana.id);
      expect((await loadAccountLookup({ email }))?.account).toEqual({ id: ana.id, name: "Ana", disabled: false });
    }
    expect(await findAccountByAnyEmail("ana.souza@lakeside.example.edu")).toMatchObject({
      matchedEmail: { email: "ana.souza@lakeside.example.edu", verified: false, primary: false },
    });
  });

  test("an address on no account, an empty one or a malformed id finds nothing", async () => {
    await createLearner();
    expect(await findAccountByAnyEmail("nobody@example.org")).toBeNull();
    expect(await loadAccountLookup({ email: "nobody@example.org" })).toBeNull();
    expect(await loadAccountLookup({ email: "   " })).toBeNull();
    expect(await loadAccountLookup({ accountId: "not-a-uuid" })).toBeNull();
    expect(await awardStatesForAccount({ accountId: "00000000-0000-4000-8000-000000000000" })).toBeNull();
  });
});

describe("the state of every award of an account", () => {
  test("each award lands in the state a learner would see", async () => {
    const ana = await createLearner({ email: "ana@example.org" });
    await addEmail(ana.id, "ana@school.example.edu");
    const make = async (name: string, to: string, options: Parameters<typeof award>[1] = {}) => award(to, { ...options, badge: await createBadge(name) });

    await make("In backpack", "ana@example.org");
    await make("Capitals differ, verified", "ANA@Example.org");
    await make("Waiting", "ana@school.example.edu");
    await make("Waiting, capitals differ", "Ana@School.Example.edu");
    await make("Expired", "ana@example.org", { expiresAt: daysAgo(3) });
    await make("Removed", "ana@example.org", { removed: true });
    const revoked = await make("Revoked", "ana@example.org");
    await revoke(revoked.id);
    const reinstated = await make("Reinstated", "ana@example.org");
    await revoke(reinstated.id, { reinstated: true });
    await make("Someone else's", "someone@example.org");

    expect(await statesOf({ accountId: ana.id })).toEqual({
      "In backpack": "in_backpack",
      "Capitals differ, verified": "in_backpack",
      Waiting: "waiting_unverified",
      "Waiting, capitals differ": "waiting_unverified",
      Expired: "expired",
      Removed: "removed",
      Revoked: "revoked",
      Reinstated: "in_backpack",
    });
    // The same answer whichever address and case found the account.
    expect(await statesOf({ email: "ANA@SCHOOL.EXAMPLE.EDU" })).toEqual(await statesOf({ accountId: ana.id }));
  });

  test("revocation history comes with the award, oldest first, reinstatement included", async () => {
    const ana = await createLearner();
    const row = await award(ana.email);
    await revoke(row.id, { daysAgo: 30, reinstated: true });
    await revoke(row.id, { daysAgo: 2 });
    const found = await awardStatesForAccount({ accountId: ana.id });
    const revocations = found!.awards[0].award.revocations;
    expect(revocations).toHaveLength(2);
    expect(revocations[0].reinstatement).toMatchObject({ authorisedBy: "Dean", reference: "REF-1" });
    expect(revocations[1].reinstatement).toBeNull();
    expect(found!.awards[0].state).toBe("revoked");
  });

  test("an award to a misspelt address on no account is found and shown as unclaimed", async () => {
    const ben = await createLearner({ email: "ben.okafor@gmail.com" });
    await award("ben.okafor@gmial.com", { badge: await createBadge("3D Printing Safety") });
    await award("Ben.Okafor@Gmail.con", { badge: await createBadge("Laser Cutter") });
    await award("ben.okafr@gmail.com", { badge: await createBadge("Two slips away") });
    const found = await awardStatesForAccount({ email: "BEN.OKAFOR@gmail.com" });
    expect(found!.awards.map((a) => [a.award.badgeName, a.state, a.award.via]).sort()).toEqual([
      ["3D Printing Safety", "unclaimed", "typo"],
      ["Laser Cutter", "unclaimed", "typo"],
    ]);
    const { findings, summary } = await getAccountDiagnosis({ accountId: ben.id });
    expect(findings.map((f) => f.code)).toEqual(["award_to_unknown_email", "award_to_unknown_email"]);
    expect(summary.join("\n")).toContain("looks like a typo of ben.okafor@gmail.com");
  });

  test("the database corrects misspellings exactly as intendedAddress does", async () => {
    const { db, rows } = await import("#db/client.server");
    const { sql } = await import("drizzle-orm");
    const { PROVIDER_NAME_TYPOS, TLD_TYPOS } = await import("~/modules/accounts/email-typos");
    const samples = [
      ...Object.keys(PROVIDER_NAME_TYPOS).flatMap((name) => [`Ana.Silva@${name}.com`, `ana@${name}.example`, `ana@${name}.con`]),
      ...Object.keys(TLD_TYPOS).flatMap((tld) => [`ana@gmail.${tld}`, `ana@acme.${tld}`, `ana@aol.${tld}`]),
      "ana@school.example.edu", "a@b@gmial.com", "ana@mail.gmial.com", " Ana@Gmail.com ", "ana@constructor.com", "ana@gmail.constructor",
    ];
    const result = rows<{ typed: string; meant: string }>(
      await db.execute(
        sql`select typed, accounts_intended_address(typed) as meant from unnest(string_to_array(${samples.join("\n")}, ${"\n"})) with ordinality as s(typed, n) order by n`,
      ),
    );
    expect(result.map((r) => [r.typed, r.meant])).toEqual(samples.map((s) => [s, intendedAddress(s)]));
  });

  test("awards to misspellings of every address are found, one or two slips, whatever their case", async () => {
    const learner = await createLearner({ email: "ana@gmail.com" });
    await addEmail(learner.id, "bo@hotmail.com", { verified: true });
    await addEmail(learner.id, "di@school.example.edu", { verified: true });
    const badge = await createBadge();
    const misspelt = ["ANA@GMIAL.COM", "ana@gmail.con", "ana@gmal.co", "Bo@Hotmial.com", "bo@hotmail.cm"];
    for (const to of [...misspelt, "di@school.example.ed", "ana@ymail.com", "ana@gmail.com"]) await award(to, { badge });
    const found = await loadAccountLookup({ accountId: learner.id });
    expect(found!.awards.filter((a) => a.via === "typo").map((a) => a.recipientEmail).sort()).toEqual([...misspelt].sort());
    expect(found!.awards.filter((a) => a.via === "own").map((a) => a.recipientEmail)).toEqual(["ana@gmail.com"]);
  });

  test("a misspelling held by another account reaches the agent's snapshot but never the learner's", async () => {
    const ana = await createLearner({ email: "ana@gmail.com" });
    const other = await createLearner({ email: "ana@gmial.com", verified: false });
    await award(other.email, { badge: await createBadge("Somebody's badge") });
    const agent = await loadAccountSnapshot({ accountId: ana.id }, { audience: "agent" });
    expect(agent!.awards.map((a) => a.recipientHolder)).toEqual(["other_account_unverified"]);
    const learner = await loadAccountSnapshot({ accountId: ana.id }, { audience: "learner" });
    expect(learner!.awards).toEqual([]);
    expect((await getAccountDiagnosis({ accountId: ana.id })).findings).toEqual([]);
  });

  test("pending pathway invitations to any address, in any case, come with the account", async () => {
    const emma = await createLearner({ email: "emma@example.com" });
    await invite("EMMA@example.com", "pending");
    await invite("emma@example.com", "accepted");
    const found = await loadAccountLookup({ accountId: emma.id });
    expect(found!.invitations.map((i) => i.status).sort()).toEqual(["accepted", "pending"]);
    const { findings } = await getAccountDiagnosis({ accountId: emma.id });
    expect(findings.map((f) => f.code)).toEqual(["pathway_invitation_pending"]);
  });

  test("an address being moved here counts as an unverified address of this account, and stays on the other", async () => {
    const old = await createLearner({ email: uniqueEmail("old") });
    const school = await addEmail(old.id, "ana@school.example.edu");
    await award("ana@school.example.edu", { badge: await createBadge("Waiting at school") });
    const ana = await createLearner();
    await addEmailAddress({ accountId: ana.id, email: "Ana@School.example.edu", actorId: ana.id });

    const mine = await loadAccountLookup({ accountId: ana.id });
    expect(mine!.addresses.map((a) => [a.email, a.kind])).toEqual([
      [ana.email, "own"],
      ["ana@school.example.edu", "claim"],
    ]);
    expect(await statesOf({ accountId: ana.id })).toEqual({ "Waiting at school": "waiting_unverified" });
    // The address still belongs to the old account until it is verified from Ana's.
    expect((await findAccountByAnyEmail("ana@school.example.edu"))?.accountId).toBe(old.id);
    expect(school.accountId).toBe(old.id);
  });

  test("an account with 500 awards comes back whole in one lookup", async () => {
    const learner = await createLearner();
    const badge = await createBadge();
    const { db } = await import("#db/client.server");
    const { awards } = await import("#db/schema");
    await db.insert(awards).values(Array.from({ length: 500 }, (_, i) => ({ badgeClassId: badge.badgeClassId, recipientEmail: learner.email, issuedOn: daysAgo(i) })));
    const found = await awardStatesForAccount({ email: learner.email.toUpperCase() });
    expect(found!.awards).toHaveLength(500);
    expect(new Set(found!.awards.map((a) => a.state))).toEqual(new Set(["in_backpack"]));
  });
});

describe("badge and pathway names", () => {
  test("a badge or pathway created after the names were first read is shown with its name", async () => {
    const ana = await createLearner({ email: "ana@example.org" });
    await award("ana@example.org", { badge: await createBadge("Data Literacy", "Lakeside Institute") });
    expect(await statesOf({ accountId: ana.id })).toEqual({ "Data Literacy": "in_backpack" });

    await award("ana@example.org", { badge: await createBadge("Python Foundations", "Northbridge College") });
    await invite("ana@example.org");
    const found = await loadAccountLookup({ accountId: ana.id });
    expect(found!.awards.map((a) => [a.badgeName, a.issuerName, a.badgeDescription])).toEqual(
      expect.arrayContaining([
        ["Data Literacy", "Lakeside Institute", "Data Literacy, the description"],
        ["Python Foundations", "Northbridge College", "Python Foundations, the description"],
      ]),
    );
    expect(found!.invitations).toEqual([expect.objectContaining({ pathwayName: "Maker Pathway", issuerName: "Lakeside Institute" })]);
  });
});
