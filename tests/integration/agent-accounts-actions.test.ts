// Customer Care's account actions: each one's preconditions, what the learner then sees, its
// audit row, its internal note on the ticket, and that submitting it twice changes nothing twice.
import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { accountEmails, auditLog, mailOutbox, pathwayInvitations, revocations, ticketMessages, tickets } from "#db/schema";
import { AgentActionInput, getMyBadges, performAgentAction } from "~/modules/accounts";
import * as accountRoute from "~/routes/agent.accounts.$accountId";
import { action as accountAction } from "~/routes/agent.accounts.$accountId";
import { addEmail, createLearner, latestMailTo, mailCountTo } from "../support/factories";
import { fieldValue, pageText, remixPages } from "../support/remix-pages";
import { award, createBadge, createSessionCookie, daysAgo, fileTicket, invite, postForm, revoke } from "./accounts-fixtures";

const agentUser = () => createLearner({ name: "Sam Rivera", roles: ["agent"] });

async function act(actor: { id: string; name: string }, accountId: string, fields: Record<string, string>) {
  const parsed = AgentActionInput.safeParse({ actionKey: randomUUID(), ...fields });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return performAgentAction({ actor, accountId, input: parsed.data });
}

async function notesOn(ticketId: string) {
  return db
    .select({ body: ticketMessages.body, visibility: ticketMessages.visibility })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.visibility, "internal")))
    .orderBy(asc(ticketMessages.createdAt));
}

async function auditRows(accountId: string, action: string) {
  return db.select().from(auditLog).where(and(eq(auditLog.accountId, accountId), eq(auditLog.action, action)));
}

async function backpackNames(accountId: string) {
  const view = await getMyBadges({ accountId });
  return view!.backpack.map((b) => b.badgeName);
}

describe("rules every action follows", () => {
  test("without a ticket a written reason is required; with one, it goes into the audit row", async () => {
    const sam = await agentUser();
    const ana = await createLearner();
    const school = await addEmail(ana.id, "ana@school.example");
    expect(await act(sam, ana.id, { intent: "send-link", emailId: school.id })).toMatchObject({ ok: false, status: 400, field: "reason" });
    expect(await mailCountTo("ana@school.example")).toBe(0);

    expect(await act(sam, ana.id, { intent: "send-link", emailId: school.id, reason: "Phone call, learner confirmed her name" })).toMatchObject({ ok: true });
    const [row] = await auditRows(ana.id, "email.verification_sent");
    expect(row).toMatchObject({ actorId: sam.id, ticketId: null, reason: "Phone call, learner confirmed her name", targetId: school.id });
  });

  test("a form submitted twice acts once; its key can't be replayed on another account", async () => {
    const sam = await agentUser();
    const ana = await createLearner();
    const school = await addEmail(ana.id, "ana@school.example");
    const ticket = await fileTicket({ accountId: ana.id, email: ana.email });
    const input = AgentActionInput.parse({ intent: "send-link", emailId: school.id, ticketId: ticket.id, actionKey: "render-1:send-link:x" });

    const [first, second] = await Promise.all([performAgentAction({ actor: sam, accountId: ana.id, input }), performAgentAction({ actor: sam, accountId: ana.id, input })]);
    expect([first, second].filter((o) => o.ok && o.repeated)).toHaveLength(1);
    expect([first, second].every((o) => o.ok)).toBe(true);
    expect(await mailCountTo("ana@school.example")).toBe(1);
    expect(await notesOn(ticket.id)).toHaveLength(1);
    expect(await auditRows(ana.id, "email.verification_sent")).toHaveLength(1);

    const ben = await createLearner();
    expect(await performAgentAction({ actor: sam, accountId: ben.id, input: { ...input } })).toMatchObject({ ok: false, message: "This form was already used. Reload the page." });
  });

  test("a ticket that doesn't exist is refused before anything changes", async () => {
    const sam = await agentUser();
    const ana = await createLearner();
    const school = await addEmail(ana.id, "ana@school.example");
    expect(await act(sam, ana.id, { intent: "send-link", emailId: school.id, ticketId: randomUUID() })).toMatchObject({ ok: false, status: 404 });
    expect(await mailCountTo("ana@school.example")).toBe(0);
  });
});

describe("addresses", () => {
  test("send a verification link: noted on the ticket, audited, and limited to one per 5 minutes", async () => {
    const sam = await agentUser();
    const ana = await createLearner({ name: "Ana Souza" });
    const school = await addEmail(ana.id, "ana@school.example");
    const ticket = await fileTicket({ accountId: ana.id, email: ana.email });

    expect(await act(sam, ana.id, { intent: "send-link", emailId: school.id, ticketId: ticket.id })).toEqual({ ok: true, repeated: false, notice: "Verification link sent to ana@school.example." });
    expect((await latestMailTo("ana@school.example"))?.textBody).toContain("/verify-email?token=");
    expect(await notesOn(ticket.id)).toEqual([{ body: "Sam Rivera sent a verification link to ana@school.example.", visibility: "internal" }]);
    const [row] = await auditRows(ana.id, "email.verification_sent");
    expect(row).toMatchObject({ ticketId: ticket.id, before: { verified: false }, after: { linkSent: true } });

    const again = await act(sam, ana.id, { intent: "send-link", emailId: school.id, ticketId: ticket.id });
    expect(again).toMatchObject({ ok: false, status: 429 });
    // The panel's page says when in its Retry-After too (not the server's 60 s floor).
    const accountPage = remixPages([{ id: "routes/agent.accounts.$accountId", path: "agent/accounts/:accountId", module: accountRoute }]);
    const refused = await accountPage(
      postForm(`/agent/accounts/${ana.id}?ticket=${ticket.id}`, await createSessionCookie(sam.id), { intent: "send-link", emailId: school.id, ticketId: ticket.id, actionKey: `r2:send-link:${school.id}` }),
    );
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(200);
    expect(!again.ok && again.message).toMatch(/less than 5 minutes ago.*in [45] minutes/);
    const verified = await addEmail(ana.id, "ana@done.example", { verified: true });
    expect(await act(sam, ana.id, { intent: "send-link", emailId: verified.id, ticketId: ticket.id })).toMatchObject({ ok: false, message: "ana@done.example is already verified." });
  });

  test("Ben's misspelt address: add it, mark it verified with evidence, and the badge is in his backpack at once", async () => {
    const sam = await agentUser();
    const ben = await createLearner({ name: "Ben Okafor", email: "ben.okafor@gmail.example" });
    await award("ben.okafr@gmail.example", { badge: await createBadge("Cloud Basics", "Skyline Academy") });
    const ticket = await fileTicket({ accountId: ben.id, email: ben.email, badgeEmail: "ben.okafr@gmail.example" });
    expect(await backpackNames(ben.id)).toEqual([]);

    expect(await act(sam, ben.id, { intent: "add-email", email: "ben.okafr@gmail.example", ticketId: ticket.id })).toMatchObject({ ok: true });
    const [added] = await db.select().from(accountEmails).where(eq(accountEmails.email, "ben.okafr@gmail.example"));
    expect(added).toMatchObject({ accountId: ben.id, verifiedAt: null });
    expect(await mailCountTo("ben.okafr@gmail.example")).toBe(1);

    expect(AgentActionInput.safeParse({ intent: "mark-verified", emailId: added.id, evidence: "ok", actionKey: randomUUID(), ticketId: ticket.id }).success).toBe(false);
    const evidence = "Wrote from his verified address; named the course, date and issuer";
    expect(await act(sam, ben.id, { intent: "mark-verified", emailId: added.id, evidence, ticketId: ticket.id })).toMatchObject({ ok: true });
    expect(await backpackNames(ben.id)).toEqual(["Cloud Basics"]);

    const [row] = await auditRows(ben.id, "email.verify_manual");
    expect(row).toMatchObject({ actorId: sam.id, ticketId: ticket.id, reason: `Evidence: ${evidence}`, before: { verified: false }, after: { verified: true } });
    expect((await notesOn(ticket.id)).map((n) => n.body)).toEqual([
      "Sam Rivera added ben.okafr@gmail.example to the account (unverified) and sent it a verification link.",
      `Sam Rivera marked ben.okafr@gmail.example verified by hand. Evidence: ${evidence}`,
    ]);
    expect(await act(sam, ben.id, { intent: "mark-verified", emailId: added.id, evidence, ticketId: ticket.id })).toMatchObject({ ok: false, message: "ben.okafr@gmail.example is already verified." });
  });

  test("add: refused for an address already here or on another account", async () => {
    const sam = await agentUser();
    const ana = await createLearner({ email: "ana@example.org" });
    await createLearner({ email: "taken@example.org" });
    const ticket = await fileTicket({ accountId: ana.id, email: ana.email });
    expect(await act(sam, ana.id, { intent: "add-email", email: "ANA@example.org", ticketId: ticket.id })).toMatchObject({ ok: false, field: "email", message: "ana@example.org is already on this account." });
    expect(await act(sam, ana.id, { intent: "add-email", email: "Taken@example.org", ticketId: ticket.id })).toMatchObject({ ok: false, field: "email", message: expect.stringMatching(/verified on another account.*Move an address here/) });
    expect(await notesOn(ticket.id)).toEqual([]);
  });

  test("remove: never the primary; a non-primary address goes and its badges leave the backpack", async () => {
    const sam = await agentUser();
    const ana = await createLearner({ email: "ana@example.org" });
    const work = await addEmail(ana.id, "ana@work.example", { verified: true });
    await award("ana@work.example", { badge: await createBadge("Python Foundations") });
    const ticket = await fileTicket({ accountId: ana.id, email: ana.email });

    expect(AgentActionInput.safeParse({ intent: "remove-email", emailId: work.id, actionKey: randomUUID(), ticketId: ticket.id }).success).toBe(false);
    expect(await act(sam, ana.id, { intent: "remove-email", emailId: ana.emailId, confirm: "yes", ticketId: ticket.id })).toMatchObject({ ok: false, message: expect.stringContaining("primary address can't be removed") });
    expect(await backpackNames(ana.id)).toEqual(["Python Foundations"]);

    expect(await act(sam, ana.id, { intent: "remove-email", emailId: work.id, confirm: "yes", ticketId: ticket.id })).toMatchObject({ ok: true, notice: expect.stringContaining("Python Foundations") });
    expect(await backpackNames(ana.id)).toEqual([]);
    expect(await mailCountTo("ana@work.example")).toBe(1);
    expect((await auditRows(ana.id, "email.remove"))[0]).toMatchObject({ before: { email: "ana@work.example" }, after: { leftBackpack: [expect.stringContaining("Python Foundations")] } });
  });

  test("make primary: only a verified address; the old primary is told by email", async () => {
    const sam = await agentUser();
    const chloe = await createLearner({ email: "chloe@oldcorp.example" });
    const fresh = await addEmail(chloe.id, "chloe@newcorp.example");
    const ticket = await fileTicket({ accountId: chloe.id, email: chloe.email });
    expect(await act(sam, chloe.id, { intent: "make-primary", emailId: fresh.id, ticketId: ticket.id })).toMatchObject({ ok: false, message: expect.stringContaining("Only a verified address") });
    await db.update(accountEmails).set({ verifiedAt: new Date() }).where(eq(accountEmails.id, fresh.id));
    expect(await act(sam, chloe.id, { intent: "make-primary", emailId: fresh.id, ticketId: ticket.id })).toMatchObject({ ok: true });
    expect((await latestMailTo("chloe@oldcorp.example"))?.subject).toBe("Your primary badgedesk address changed");
    expect((await getMyBadges({ accountId: chloe.id }))!.addresses.find((a) => a.primary)?.email).toBe("chloe@newcorp.example");
    expect((await auditRows(chloe.id, "email.make_primary"))[0]).toMatchObject({ before: { primary: "chloe@oldcorp.example" }, after: { primary: "chloe@newcorp.example" } });
  });

  test("move an address with its badges between two accounts of one person: evidence, both emailed, undone by moving it back", async () => {
    const sam = await agentUser();
    const main = await createLearner({ name: "Emma", email: "emma@example.com" });
    const old = await createLearner({ name: "Emma (old)", email: "emma.old@example.com" });
    const school = await addEmail(old.id, "emma@school.example", { verified: true });
    await award("emma@school.example", { badge: await createBadge("Robotics") });
    const ticket = await fileTicket({ accountId: main.id, email: main.email });
    const evidence = "Both accounts answered from their primary addresses confirming";

    expect(await act(sam, main.id, { intent: "move-address", email: "emma.old@example.com", evidence, ticketId: ticket.id })).toMatchObject({ ok: false, message: expect.stringContaining("primary address of the other account") });
    expect(await act(sam, main.id, { intent: "move-address", email: "emma@school.example", evidence, ticketId: ticket.id })).toMatchObject({ ok: true });
    expect(await backpackNames(main.id)).toEqual(["Robotics"]);
    expect(await backpackNames(old.id)).toEqual([]);
    expect((await latestMailTo("emma@example.com"))?.subject).toBe("emma@school.example was moved to your badgedesk account");
    expect((await latestMailTo("emma.old@example.com"))?.subject).toBe("emma@school.example was moved to your other badgedesk account");
    expect((await auditRows(main.id, "email.move"))[0]).toMatchObject({ reason: `Evidence: ${evidence}`, before: { accountId: old.id }, after: { accountId: main.id } });
    expect(await auditRows(old.id, "email.move_out")).toHaveLength(1);

    expect(await act(sam, old.id, { intent: "move-address", email: "emma@school.example", evidence: "Undo: moved by mistake, learner asked", reason: "Undo of the move" })).toMatchObject({ ok: true });
    expect(await backpackNames(old.id)).toEqual(["Robotics"]);
    const [row] = await db.select().from(accountEmails).where(eq(accountEmails.id, school.id));
    expect(row.accountId).toBe(old.id);
  });
});

describe("awards and invitations", () => {
  test("resend an award notice to its address; refused for a revoked one", async () => {
    const sam = await agentUser();
    const ana = await createLearner({ email: "ana@example.org" });
    const given = await award("ana@example.org", { badge: await createBadge("Data Literacy", "Lakeside Institute") });
    const ticket = await fileTicket({ accountId: ana.id, email: ana.email });
    expect(await act(sam, ana.id, { intent: "resend-award-notice", awardId: given.id, ticketId: ticket.id })).toMatchObject({ ok: true });
    expect((await latestMailTo("ana@example.org"))?.subject).toBe("Your badge: Data Literacy");
    await revoke(given.id);
    expect(await act(sam, ana.id, { intent: "resend-award-notice", awardId: given.id, ticketId: ticket.id })).toMatchObject({ ok: false, message: expect.stringContaining("is revoked") });
    const stranger = await award("someone@example.org");
    expect(await act(sam, ana.id, { intent: "resend-award-notice", awardId: stranger.id, ticketId: ticket.id })).toMatchObject({ ok: false, status: 404 });
  });

  test("restore a badge the learner removed; refused when it isn't removed", async () => {
    const sam = await agentUser();
    const emma = await createLearner({ email: "emma@example.com" });
    const removed = await award("emma@example.com", { badge: await createBadge("First Aid"), removed: true });
    const ticket = await fileTicket({ accountId: emma.id, email: emma.email });
    expect(await backpackNames(emma.id)).toEqual([]);
    expect(await act(sam, emma.id, { intent: "restore-award", awardId: removed.id, ticketId: ticket.id })).toMatchObject({ ok: true });
    expect(await backpackNames(emma.id)).toEqual(["First Aid"]);
    expect(await act(sam, emma.id, { intent: "restore-award", awardId: removed.id, ticketId: ticket.id })).toMatchObject({ ok: false, message: expect.stringContaining("is not removed") });
    expect((await notesOn(ticket.id)).map((n) => n.body)).toEqual(["Sam Rivera restored “First Aid” to the backpack."]);
  });

  test("Dev's revoked badge: ask the issuer (ticket pending), record the authorisation, the badge is back and the history kept", async () => {
    const sam = await agentUser();
    const dev = await createLearner({ name: "Dev Patel", email: "dev@example.net" });
    const lab = await award("dev@example.net", { badge: await createBadge("Lab Safety", "Northfield University", { contactEmail: "registrar@northfield.example" }) });
    const revocation = await revoke(lab.id, { daysAgo: 5 });
    const ticket = await fileTicket({ accountId: dev.id, email: dev.email, category: "revoked_badge", description: "I did submit the assessment, please check." });

    expect(await act(sam, dev.id, { intent: "record-authorisation", awardId: lab.id, authorisedBy: "Dr Lee", authorisedOn: daysAgo(9).toISOString().slice(0, 10), reference: "NU-1", ticketId: ticket.id })).toMatchObject({
      ok: false,
      field: "authorisedOn",
    });

    expect(await act(sam, dev.id, { intent: "ask-issuer", awardId: lab.id, ticketId: ticket.id })).toMatchObject({ ok: true });
    const asked = await latestMailTo("registrar@northfield.example");
    expect(asked?.subject).toContain("Reinstatement request: Lab Safety for dev@example.net");
    expect(asked?.textBody).toContain("Assessment not submitted");
    expect(asked?.textBody).toContain("> I did submit the assessment, please check.");
    const [afterAsk] = await db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, ticket.id));
    expect(afterAsk.status).toBe("pending");
    expect((await notesOn(ticket.id))[0].body).toContain("Waiting for issuer.");

    const today = new Date().toISOString().slice(0, 10);
    expect(await act(sam, dev.id, { intent: "record-authorisation", awardId: lab.id, authorisedBy: "Dr Lee, Registrar", authorisedOn: today, reference: "NU-2291", ticketId: ticket.id })).toMatchObject({ ok: true });
    expect(await backpackNames(dev.id)).toEqual(["Lab Safety"]);
    const [history] = await db.select().from(revocations).where(eq(revocations.id, revocation.id));
    expect(history).toMatchObject({ reason: "Assessment not submitted", reinstatementAuthorisedBy: "Dr Lee, Registrar", reinstatementReference: "NU-2291", reinstatementAuthorisedOn: today, reinstatementRecordedBy: sam.id });
    expect((await auditRows(dev.id, "award.reinstated"))[0]).toMatchObject({ before: { revoked: true }, after: { revoked: false, reference: "NU-2291" } });

    expect(await act(sam, dev.id, { intent: "record-authorisation", awardId: lab.id, authorisedBy: "Dr Lee", authorisedOn: today, reference: "NU-2", ticketId: ticket.id })).toMatchObject({
      ok: false,
      message: expect.stringContaining("not revoked"),
    });
    expect(await act(sam, dev.id, { intent: "ask-issuer", awardId: lab.id, ticketId: ticket.id })).toMatchObject({ ok: false, message: expect.stringContaining("not revoked") });
  });

  test("asking an issuer with no contact address is refused; an authorisation dated in the future never parses", async () => {
    const sam = await agentUser();
    const dev = await createLearner({ email: "dev@example.net" });
    const lab = await award("dev@example.net", { badge: await createBadge("Lab Safety", "No Contact College") });
    await revoke(lab.id);
    const ticket = await fileTicket({ accountId: dev.id, email: dev.email });
    expect(await act(sam, dev.id, { intent: "ask-issuer", awardId: lab.id, ticketId: ticket.id })).toMatchObject({ ok: false, message: expect.stringContaining("no contact address") });
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect(AgentActionInput.safeParse({ intent: "record-authorisation", awardId: lab.id, authorisedBy: "Dr Lee", authorisedOn: future, reference: "X-1", actionKey: randomUUID(), ticketId: ticket.id }).success).toBe(false);
    expect(await db.select().from(mailOutbox).where(sql`${mailOutbox.subject} like 'Reinstatement%'`)).toEqual([]);
  });

  test("resend a pending pathway invitation; refused for an accepted one", async () => {
    const sam = await agentUser();
    const emma = await createLearner({ email: "emma@example.com" });
    const pending = await invite("emma@example.com");
    const accepted = await invite("emma@example.com", "accepted");
    const ticket = await fileTicket({ accountId: emma.id, email: emma.email });
    expect(await act(sam, emma.id, { intent: "resend-invitation", invitationId: pending.id, ticketId: ticket.id })).toMatchObject({ ok: true });
    expect((await latestMailTo("emma@example.com"))?.subject).toBe("Your invitation to the pathway Maker Pathway");
    const [row] = await db.select().from(pathwayInvitations).where(eq(pathwayInvitations.id, pending.id));
    expect(row.sentAt.getTime()).toBeGreaterThan(pending.sentAt.getTime());
    expect(await act(sam, emma.id, { intent: "resend-invitation", invitationId: accepted.id, ticketId: ticket.id })).toMatchObject({ ok: false, message: expect.stringContaining("is accepted") });
  });
});

describe("through the route, without JavaScript", () => {
  test("success redirects back with a notice; a missing field is answered beside it with the typed values kept", async () => {
    const sam = await agentUser();
    const ben = await createLearner();
    const misspelt = await addEmail(ben.id, "ben.okafr@gmail.example");
    const ticket = await fileTicket({ accountId: ben.id, email: ben.email });
    const cookie = await createSessionCookie(sam.id);
    const url = `/agent/accounts/${ben.id}?ticket=${ticket.id}`;
    const fields = { intent: "mark-verified", emailId: misspelt.id, ticketId: ticket.id, actionKey: `r1:mark-verified:${misspelt.id}`, returnTo: `/agent/tickets/${ticket.id}` };

    const accountPage = remixPages([{ id: "routes/agent.accounts.$accountId", path: "agent/accounts/:accountId", module: accountRoute }]);
    const short = await accountPage(postForm(url, cookie, { ...fields, evidence: "he said" }));
    expect(short.status).toBe(400);
    const html = await short.text();
    expect(pageText(html)).toContain("at least 10 characters");
    expect(fieldValue(html, "evidence")).toBe("he said");

    const done = (await accountAction({ request: postForm(url, cookie, { ...fields, evidence: "Called him; he read back the award id" }), params: { accountId: ben.id }, context: {} as never })) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/agent/tickets/${ticket.id}`);
    expect(done.headers.get("Set-Cookie")).toContain("bd_notice=");

    const offsite = (await accountAction({
      request: postForm(url, cookie, { intent: "add-email", email: "ben@work.example", ticketId: ticket.id, actionKey: "render-2:add-email:new", returnTo: "//evil.example/" }),
      params: { accountId: ben.id },
      context: {} as never,
    })) as Response;
    expect(offsite.headers.get("Location")).toBe(`/agent/accounts/${ben.id}`);
  });
});
