// The agent's account panel: found from a ticket's addresses or a search, everything on it, every
// look audited, and nobody but Customer Care gets in.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { accountEmails, auditLog, undeliverableAddresses } from "#db/schema";
import { loadAccountPanel, searchAccounts } from "~/modules/accounts";
import { loadAgentTicketPage, otherTicketsOfRequester, ticketForPanelOf } from "~/modules/tickets";
import { action as accountAction, loader as accountLoader } from "~/routes/agent.accounts.$accountId";
import { loader as searchLoader } from "~/routes/agent.accounts._index";
import { loader as removeLoader } from "~/routes/agent.accounts.$accountId.addresses.$emailId.remove";
import { addEmail, createLearner } from "../support/factories";
import { award, createBadge, createSessionCookie, fileTicket, getPage, invite, postForm, revoke, thrown } from "./accounts-fixtures";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} as never });


const agentUser = () => createLearner({ name: "Sam Rivera", roles: ["agent"] });

describe("finding the account", () => {
  test("from the ticket's 'address the badge was sent to': unverified, in other capitals; the look is audited with the ticket", async () => {
    const sam = await agentUser();
    const ben = await createLearner({ name: "Ben Okafor", email: "ben@gmail.example" });
    await addEmail(ben.id, "Ben.Old@School.example");
    const ticket = await fileTicket({ email: "someone-else@example.org", badgeEmail: "ben.old@school.EXAMPLE" });

    const result = await loadAccountPanel({ actor: sam, ticketId: ticket.id });
    expect(result.found).toBe(true);
    if (!result.found) return;
    expect(result.panel.account.name).toBe("Ben Okafor");
    expect(result.matchedBy).toBe("Ben.Old@School.example");

    const [row] = await db.select().from(auditLog).where(eq(auditLog.action, "account.lookup"));
    expect(row).toMatchObject({ actorId: sam.id, accountId: ben.id, ticketId: ticket.id, targetType: "account" });
    expect(row.at.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  test("from the requester's address; with no match the panel says what it tried", async () => {
    const sam = await agentUser();
    const ana = await createLearner({ name: "Ana Souza", email: "ana@example.org" });
    const mine = await fileTicket({ email: "ANA@example.org" });
    const found = await loadAccountPanel({ actor: sam, ticketId: mine.id });
    expect(found.found && found.panel.account.id).toBe(ana.id);

    const stranger = await fileTicket({ email: "nobody@example.org", badgeEmail: "nobody.else@example.org" });
    const missing = await loadAccountPanel({ actor: sam, ticketId: stranger.id });
    expect(missing).toMatchObject({ found: false, tried: ["nobody@example.org", "nobody.else@example.org"] });
  });

  test("badges at the ticket's 'address the badge was sent to' are listed when no account holds it", async () => {
    const sam = await agentUser();
    const ben = await createLearner({ name: "Ben Okafor", email: "ben.okafor@gmail.example" });
    await award("ben.okafr@gmail.example", { badge: await createBadge("Cloud Basics", "Skyline Academy") });
    const ticket = await fileTicket({ accountId: ben.id, email: ben.email, badgeEmail: "Ben.Okafr@gmail.example" });
    const result = await loadAccountPanel({ actor: sam, ticketId: ticket.id });
    expect(result).toMatchObject({ found: true, ticketAddress: { email: "Ben.Okafr@gmail.example", awards: [{ badgeName: "Cloud Basics", issuerName: "Skyline Academy" }] } });

    await createLearner({ email: "ben.okafr@gmail.example" });
    expect(await loadAccountPanel({ actor: sam, ticketId: ticket.id })).toMatchObject({ found: true, ticketAddress: null });
  });

  test("the ticket page's single statement finds the same panel as the panel alone, and audits each look the same way", async () => {
    const sam = await agentUser();
    const ben = await createLearner({ name: "Ben Okafor", email: "ben@gmail.example" });
    await addEmail(ben.id, "Ben.Old@School.example");
    await award("ben.okafr@gmail.example", { badge: await createBadge("Cloud Basics", "Skyline Academy") });
    await db.insert(undeliverableAddresses).values({ email: "ben.old@school.example", status: "5.1.1", diagnostic: "Recipient address rejected" });
    const byBadgeAddress = await fileTicket({ email: "someone-else@example.org", badgeEmail: " ben.old@school.EXAMPLE " });
    const byRequester = await fileTicket({ email: "BEN@gmail.example" });
    const filed = await fileTicket({ accountId: ben.id, email: ben.email, badgeEmail: "Ben.Okafr@gmail.example" });
    const stranger = await fileTicket({ email: "nobody@example.org", badgeEmail: "nobody.else@example.org" });
    const strangersOther = await fileTicket({ email: "NOBODY@example.org", description: "Another question about a badge that never came." });
    const now = new Date();

    for (const ticket of [byBadgeAddress, byRequester, filed, stranger]) {
      const alone = await loadAccountPanel({ actor: sam, ticketId: ticket.id, now });
      const page = await loadAgentTicketPage({ ticketId: ticket.id, agentId: sam.id });
      expect(page).not.toBeNull();
      const onPage = await loadAccountPanel({ actor: sam, ticket: ticketForPanelOf(page!.ticket), start: page!.panel, now });
      expect(onPage).toEqual(alone);
      if (ticket === stranger) {
        expect(page!.otherTickets).toEqual(await otherTicketsOfRequester({ ticketId: ticket.id, requesterEmail: "nobody@example.org", accountId: null }));
        expect(page!.otherTickets.map((t) => t.id)).toEqual([strangersOther.id]);
      }
    }
    const filedPanel = await loadAccountPanel({ actor: sam, ticketId: filed.id, now });
    // The unheld badge address's awards, Ben's other ticket (the one from his address) and his bounced address are all there.
    expect(filedPanel).toMatchObject({ found: true, ticketAddress: { email: "Ben.Okafr@gmail.example", awards: [{ badgeName: "Cloud Basics" }] } });
    expect(filedPanel.found && filedPanel.tickets.map((t) => t.id).sort()).toEqual([byRequester.id]);
    expect(filedPanel.found && filedPanel.panel.addresses.find((a) => a.email === "Ben.Old@School.example")).toMatchObject({ undeliverable: { status: "5.1.1" } });

    // Two looks per ticket with an account (alone, then on the page), written alike; none for the stranger's.
    const looks = await db.select().from(auditLog).where(eq(auditLog.action, "account.lookup")).orderBy(auditLog.id);
    const expected = [
      { ticketId: byBadgeAddress.id, after: { matchedBy: "Ben.Old@School.example" } },
      { ticketId: byRequester.id, after: { matchedBy: "ben@gmail.example" } },
      { ticketId: filed.id, after: null },
    ].flatMap((look) => [look, look]);
    expect(looks.slice(0, 6).map((l) => ({ ticketId: l.ticketId, after: l.after }))).toEqual(expected);
    expect(looks.slice(0, 6).every((l) => l.actorId === sam.id && l.accountId === ben.id && l.targetId === ben.id && l.targetType === "account")).toBe(true);
  });

  test("search by any address, part of a name, or an award id; each search is audited", async () => {
    const sam = await agentUser();
    const dev = await createLearner({ name: "Dev Patel", email: "dev@example.net" });
    await addEmail(dev.id, "dev.patel@uni.example");
    const given = await award("dev.patel@uni.example");

    expect(await searchAccounts({ actor: sam, query: "DEV.PATEL@uni.example" })).toMatchObject([{ accountId: dev.id, matched: "address dev.patel@uni.example (unverified)" }]);
    expect(await searchAccounts({ actor: sam, query: "patel" })).toMatchObject([{ accountId: dev.id, name: "Dev Patel", primaryEmail: "dev@example.net" }]);
    expect(await searchAccounts({ actor: sam, query: given.id })).toMatchObject([{ accountId: dev.id }]);
    expect(await searchAccounts({ actor: sam, query: "100%_nobody" })).toEqual([]);

    const searches = await db.select().from(auditLog).where(eq(auditLog.action, "account.search"));
    expect(searches).toHaveLength(4);
    expect(searches[0]).toMatchObject({ actorId: sam.id, accountId: dev.id });
  });
});

describe("what the panel shows", () => {
  test("diagnosis with its fixes, addresses, awards with states, revocation history, invitations and other tickets", async () => {
    const sam = await agentUser();
    const dev = await createLearner({ name: "Dev Patel", email: "dev@example.net" });
    const uni = await addEmail(dev.id, "dev@uni.example");
    const revoked = await award("dev@example.net", { badge: await createBadge("Lab Safety", "Northfield University") });
    await revoke(revoked.id, { daysAgo: 30, reinstated: true });
    await revoke(revoked.id, { daysAgo: 3 });
    await award("dev@uni.example", { badge: await createBadge("Statistics") });
    await invite("dev@example.net");
    const earlier = await fileTicket({ accountId: dev.id, email: "dev@example.net" });
    const current = await fileTicket({ accountId: dev.id, email: "dev@example.net", category: "revoked_badge", description: "My Lab Safety badge was revoked by mistake." });

    const result = await loadAccountPanel({ actor: sam, ticketId: current.id });
    if (!result.found) throw new Error("not found");
    const { panel, tickets } = result;

    expect(panel.findings.map((f) => f.code)).toEqual(expect.arrayContaining(["award_revoked", "award_to_unverified_email", "pathway_invitation_pending"]));
    const revokedFinding = panel.findings.find((f) => f.code === "award_revoked")!;
    expect(revokedFinding.actions.map((a) => a.kind)).toEqual(["record_authorisation", "ask_issuer"]);
    const waiting = panel.findings.find((f) => f.code === "award_to_unverified_email")!;
    expect(waiting.actions).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "send_verification_link", emailId: uni.id }), expect.objectContaining({ kind: "mark_verified", emailId: uni.id })]));

    expect(panel.addresses).toMatchObject([
      { email: "dev@example.net", verified: true, primary: true, canRemove: false },
      { email: "dev@uni.example", verified: false, primary: false, canSendLink: true, canMarkVerified: true, canRemove: true },
    ]);
    const lab = panel.awards.find((a) => a.badgeName === "Lab Safety")!;
    expect(lab).toMatchObject({ state: "revoked", stateLabel: "Revoked", revoked: true });
    expect(lab.revocations).toHaveLength(2);
    expect(lab.revocations[0].reinstatement).toMatchObject({ authorisedBy: "Dean", reference: "REF-1" });
    expect(lab.revocations[1]).toMatchObject({ reason: "Assessment not submitted", revokedBy: "Registrar", reinstatement: null });
    expect(panel.awards.find((a) => a.badgeName === "Statistics")).toMatchObject({ state: "waiting_unverified" });
    expect(panel.invitations).toMatchObject([{ pathwayName: "Maker Pathway", status: "pending", canResend: true }]);
    expect(tickets.map((t) => t.id)).toEqual([earlier.id]);
  });
});

describe("who gets in", () => {
  test("a learner and an editor get 404 on every page, a signed-out visitor the login page", async () => {
    const ben = await createLearner();
    const priya = await createLearner({ roles: ["editor"] });
    const other = await addEmail(ben.id, "ben.other@example.org", { verified: true });
    for (const person of [ben, priya]) {
      const cookie = await createSessionCookie(person.id);
      expect((await thrown(accountLoader(args(getPage(`/agent/accounts/${ben.id}`, cookie), { accountId: ben.id })))).status).toBe(404);
      expect((await thrown(searchLoader(args(getPage(`/agent/accounts?q=ben`, cookie))))).status).toBe(404);
      expect((await thrown(removeLoader(args(getPage(`/agent/accounts/${ben.id}/addresses/${other.id}/remove`, cookie), { accountId: ben.id, emailId: other.id })))).status).toBe(404);
    }
    const anonymous = await thrown(accountLoader(args(new Request(`http://badgedesk.test/agent/accounts/${ben.id}`), { accountId: ben.id })));
    expect(anonymous.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/agent/accounts/${ben.id}`)}`);
    expect(await db.select().from(auditLog)).toEqual([]);
  });

  test("a forged post from a learner answers 403 and changes nothing", async () => {
    const ben = await createLearner();
    const misspelt = await addEmail(ben.id, "ben.okafr@gmail.example");
    const cookie = await createSessionCookie(ben.id);
    const response = await thrown(
      accountAction(
        args(postForm(`/agent/accounts/${ben.id}`, cookie, { intent: "mark-verified", emailId: misspelt.id, evidence: "I am totally Ben, trust me", reason: "self-service", actionKey: "forged-key-1" }), {
          accountId: ben.id,
        }),
      ),
    );
    expect(response.status).toBe(403);
    const [row] = await db.select().from(accountEmails).where(eq(accountEmails.id, misspelt.id));
    expect(row.verifiedAt).toBeNull();
    expect(await db.select().from(auditLog).where(and(eq(auditLog.accountId, ben.id), sql`${auditLog.action} <> 'account.lookup'`))).toEqual([]);
  });

  test("an agent sees the account page, with a fresh action key each time", async () => {
    const sam = await agentUser();
    const ana = await createLearner({ name: "Ana Souza" });
    const cookie = await createSessionCookie(sam.id);
    const first = (await accountLoader(args(getPage(`/agent/accounts/${ana.id}`, cookie), { accountId: ana.id }))) as { panel: { account: { name: string } }; renderKey: string };
    const second = (await accountLoader(args(getPage(`/agent/accounts/${ana.id}`, cookie), { accountId: ana.id }))) as { renderKey: string };
    expect(first.panel.account.name).toBe("Ana Souza");
    expect(first.renderKey).not.toBe(second.renderKey);
    const unknown = await thrown(accountLoader(args(getPage(`/agent/accounts/not-an-id`, cookie), { accountId: "not-an-id" })));
    expect(unknown.status).toBe(404);
  });
});
