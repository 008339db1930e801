// Customer Care's actions on an account, from the account panel. The same rules hold for each:
// - its preconditions are checked here, and a refusal says why in words;
// - it serves a ticket, or the agent writes down why it is done without one;
// - it is one transaction with its audit row (before and after), its mail, and an internal note
//   on the ticket ("Sam Rivera sent a verification link to …");
// - it is safe to submit twice: the form's one-time action key is stored on the audit row, and a
//   second submission finds it and changes nothing;
// - the learner's My badges reads the same rows, so it changes at once.
// The self-service rules (self-service.server.ts) are reused where learner and agent do the same thing.
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Transaction } from "#db/client.server";
import { accountEmails, accounts, auditLog, awards, badgeClasses, issuers, pathwayInvitations, pathways, revocations } from "#db/schema";
import { config } from "~/lib/config.server";
import { audit } from "~/modules/audit";
import type { Viewer } from "~/modules/auth";
import { enqueueMail, notifyMailQueued } from "~/modules/mail";
import { addActionNote, findTicketForPanel } from "~/modules/tickets";
import type { AgentActionRequest } from "./agent-action-schemas";
import { activeRevocation } from "./award-state";
import { addressMovedMessage, awardNoticeMessage, issuerReinstatementRequestMessage, pathwayInvitationMessage } from "./messages";
import { formatDay } from "~/lib/dates";
import { MAX_ADDRESSES_PER_ACCOUNT } from "./my-badges";
import { waitText } from "./self-service-words";
import { countAddresses, makePrimaryIn, queueVerificationLink, removeAddressIn, resendWaitSeconds, restoreAwardIn } from "./self-service.server";

export type AgentActionOutcome =
  | { ok: true; notice: string; repeated: boolean }
  | { ok: false; status: number; message: string; /** The form field the message belongs beside. */ field?: string; /** With a 429: when to try again. */ retryAfterSeconds?: number };

/** What one action did, for its audit row, the ticket note and the agent's notice. */
interface Done {
  ok: true;
  action: string;
  targetType: "account" | "email" | "award" | "invitation";
  targetId: string;
  before?: unknown;
  after?: unknown;
  /** Evidence or authorisation written down with the action (the audit row's reason). */
  evidence?: string | null;
  /** After the agent's name: "sent a verification link to ana@school.example". */
  note: string;
  notice: string;
  /** The ticket's status after the action, e.g. pending while waiting for the issuer. */
  ticketStatus?: "pending" | null;
  /** A second audit row for another account the action touched (an address move). */
  alsoAudit?: { accountId: string; action: string; after: unknown };
}
interface Refused {
  ok: false;
  status: number;
  message: string;
  field?: string;
  retryAfterSeconds?: number;
}

class Refusal extends Error {
  constructor(readonly refused: Refused) {
    super(refused.message);
  }
}

const refuse = (message: string, status = 409, field?: string): Refused => ({ ok: false, status, message, field });

/** Runs one panel action for an account; see the rules at the top of this file. */
export async function performAgentAction({
  actor,
  accountId,
  input,
}: {
  actor: Pick<Viewer, "id" | "name">;
  accountId: string;
  input: AgentActionRequest;
}): Promise<AgentActionOutcome> {
  const ticket = input.ticketId ? await findTicketForPanel(input.ticketId) : null;
  if (input.ticketId && !ticket) return refuse("That ticket was not found. Reload the page.", 404);
  if (!ticket && !input.reason) return refuse("Without a ticket, write down why you are doing this.", 400, "reason");

  try {
    const outcome = await db.transaction(async (tx): Promise<AgentActionOutcome> => {
      // Two submissions of the same form wait for each other here; the second then finds the first's row.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${input.actionKey}))`);
      const [earlier] = await tx.select({ accountId: auditLog.accountId }).from(auditLog).where(eq(auditLog.actionKey, input.actionKey)).limit(1);
      if (earlier) {
        if (earlier.accountId !== accountId) return refuse("This form was already used. Reload the page.", 409);
        return { ok: true, notice: "That was already done; nothing changed.", repeated: true };
      }
      const [account] = await tx.select({ id: accounts.id, name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).for("update").limit(1);
      if (!account) return refuse("That account was not found.", 404);

      const result = await perform(tx, { actor, account, input, ticket });
      if (!result.ok) throw new Refusal(result);

      await audit(tx, {
        actorId: actor.id,
        action: result.action,
        targetType: result.targetType,
        targetId: result.targetId,
        before: result.before ?? null,
        after: result.after ?? null,
        reason: [result.evidence, input.reason].filter(Boolean).join(" — ") || null,
        accountId,
        ticketId: ticket?.id ?? null,
        actionKey: input.actionKey,
      });
      if (result.alsoAudit) {
        await audit(tx, {
          actorId: actor.id,
          action: result.alsoAudit.action,
          targetType: result.targetType,
          targetId: result.targetId,
          after: result.alsoAudit.after,
          reason: result.evidence ?? input.reason,
          accountId: result.alsoAudit.accountId,
          ticketId: ticket?.id ?? null,
        });
      }
      if (ticket) {
        const noted = await addActionNote(tx, { ticketId: ticket.id, actorId: actor.id, body: `${actor.name} ${result.note}`, status: result.ticketStatus ?? null });
        if (!noted) throw new Refusal(refuse("That ticket was not found. Reload the page.", 404));
      }
      return { ok: true, notice: result.notice, repeated: false };
    });
    if (outcome.ok && !outcome.repeated) notifyMailQueued();
    return outcome;
  } catch (error) {
    if (error instanceof Refusal) return error.refused;
    throw error;
  }
}

type Context = {
  actor: Pick<Viewer, "id" | "name">;
  account: { id: string; name: string };
  input: AgentActionRequest;
  ticket: Awaited<ReturnType<typeof findTicketForPanel>>;
};

async function perform(tx: Transaction, context: Context): Promise<Done | Refused> {
  const { input } = context;
  switch (input.intent) {
    case "send-link":
      return sendLink(tx, context, input.emailId);
    case "mark-verified":
      return markVerified(tx, context, input.emailId, input.evidence);
    case "add-email":
      return addAddress(tx, context, input.email);
    case "remove-email":
      return removeAddress(tx, context, input.emailId);
    case "make-primary":
      return makePrimary(tx, context, input.emailId);
    case "move-address":
      return moveAddressHere(tx, context, input.email, input.evidence);
    case "resend-award-notice":
      return resendAwardNotice(tx, context, input.awardId);
    case "restore-award":
      return restoreRemovedAward(tx, context, input.awardId);
    case "ask-issuer":
      return askIssuer(tx, context, input.awardId, input.note);
    case "record-authorisation":
      return recordAuthorisation(tx, context, input);
    case "resend-invitation":
      return resendInvitation(tx, context, input.invitationId);
  }
}

// ---------------------------------------------------------------------------------------------
// Addresses

async function ownAddress(tx: Transaction, accountId: string, emailId: string) {
  const [row] = await tx
    .select()
    .from(accountEmails)
    .where(and(eq(accountEmails.id, emailId), eq(accountEmails.accountId, accountId)))
    .for("update")
    .limit(1);
  return row ?? null;
}

async function sendLink(tx: Transaction, { account }: Context, emailId: string): Promise<Done | Refused> {
  const row = await ownAddress(tx, account.id, emailId);
  if (!row) return refuse("That address is not on this account (any more). Reload the page.", 404);
  if (row.verifiedAt) return refuse(`${row.email} is already verified.`);
  const wait = await resendWaitSeconds(tx, row.id);
  if (wait > 0) return { ...refuse(`A verification link went to ${row.email} less than 5 minutes ago. Another can be sent in ${waitText(wait)}.`, 429), retryAfterSeconds: wait };
  await queueVerificationLink(tx, { accountId: account.id, name: account.name, emailId: row.id, email: row.email });
  return {
    ok: true,
    action: "email.verification_sent",
    targetType: "email",
    targetId: row.id,
    before: { email: row.email, verified: false },
    after: { email: row.email, linkSent: true },
    note: `sent a verification link to ${row.email}.`,
    notice: `Verification link sent to ${row.email}.`,
  };
}

async function markVerified(tx: Transaction, { account }: Context, emailId: string, evidence: string): Promise<Done | Refused> {
  const row = await ownAddress(tx, account.id, emailId);
  if (!row) return refuse("That address is not on this account (any more). Reload the page.", 404);
  if (row.verifiedAt) return refuse(`${row.email} is already verified.`);
  const [primary] = await tx.select({ id: accountEmails.id }).from(accountEmails).where(and(eq(accountEmails.accountId, account.id), eq(accountEmails.isPrimary, true))).limit(1);
  const now = new Date();
  await tx.update(accountEmails).set({ verifiedAt: now, isPrimary: !primary }).where(eq(accountEmails.id, row.id));
  return {
    ok: true,
    action: "email.verify_manual",
    targetType: "email",
    targetId: row.id,
    before: { email: row.email, verified: false, primary: false },
    after: { email: row.email, verified: true, primary: !primary },
    evidence: `Evidence: ${evidence}`,
    note: `marked ${row.email} verified by hand. Evidence: ${evidence}`,
    notice: `${row.email} is verified; badges awarded to it are now in the backpack.`,
  };
}

async function addAddress(tx: Transaction, { account }: Context, email: string): Promise<Done | Refused> {
  const [existing] = await tx
    .select({ id: accountEmails.id, accountId: accountEmails.accountId, email: accountEmails.email, verifiedAt: accountEmails.verifiedAt })
    .from(accountEmails)
    .where(sql`lower(${accountEmails.email}) = lower(${email})`)
    .for("update")
    .limit(1);
  if (existing?.accountId === account.id) return refuse(`${existing.email} is already on this account.`, 409, "email");
  if (existing) {
    return refuse(
      `${existing.email} is ${existing.verifiedAt ? "verified" : "unverified"} on another account. If both accounts are this person's, move it here with “Move an address here”.`,
      409,
      "email",
    );
  }
  if ((await countAddresses(tx, account.id)) >= MAX_ADDRESSES_PER_ACCOUNT) return refuse(`This account already has ${MAX_ADDRESSES_PER_ACCOUNT} addresses; remove one first.`, 409, "email");
  const [row] = await tx.insert(accountEmails).values({ accountId: account.id, email }).returning();
  await queueVerificationLink(tx, { accountId: account.id, name: account.name, emailId: row.id, email: row.email });
  return {
    ok: true,
    action: "email.add",
    targetType: "email",
    targetId: row.id,
    before: null,
    after: { accountId: account.id, email: row.email, verified: false },
    note: `added ${row.email} to the account (unverified) and sent it a verification link.`,
    notice: `Added ${row.email}, unverified; a verification link was sent to it.`,
  };
}

async function removeAddress(tx: Transaction, { account }: Context, emailId: string): Promise<Done | Refused> {
  const change = await removeAddressIn(tx, { accountId: account.id, emailId });
  if (!change.ok) {
    switch (change.result.reason) {
      case "not_found":
        return refuse("That address is not on this account (any more). Reload the page.", 404);
      case "primary":
        return refuse("The primary address can't be removed: make another verified address primary first.");
      case "only_address":
        return refuse("The only address of an account can't be removed.");
    }
  }
  const { email, leftBackpack } = change.result;
  const leaving = leftBackpack.length > 0 ? ` ${leftBackpack.join(", ")} left the backpack.` : "";
  return {
    ok: true,
    action: "email.remove",
    targetType: "email",
    targetId: emailId,
    before: change.before,
    after: change.after,
    note: `removed ${email} from the account.${leaving}`,
    notice: `Removed ${email}.${leaving}`,
  };
}

async function makePrimary(tx: Transaction, { account }: Context, emailId: string): Promise<Done | Refused> {
  const change = await makePrimaryIn(tx, { accountId: account.id, emailId });
  if (!change.ok) {
    switch (change.result.reason) {
      case "not_found":
        return refuse("That address is not on this account (any more). Reload the page.", 404);
      case "not_verified":
        return refuse("Only a verified address can be primary: verify it first.");
      case "already_primary":
        return refuse("That address is already primary.");
    }
  }
  const { email, previous } = change.result;
  return {
    ok: true,
    action: "email.make_primary",
    targetType: "email",
    targetId: emailId,
    before: change.before,
    after: change.after,
    note: `made ${email} the primary address${previous ? ` (was ${previous}, told by email)` : ""}.`,
    notice: `${email} is now the primary address.${previous ? ` ${previous} was told by email.` : ""}`,
  };
}

/**
 * Moves an address, and so the badges awarded to it, from another account of the same person to
 * this one. Undone by moving it back from the other account's page.
 */
async function moveAddressHere(tx: Transaction, { account }: Context, email: string, evidence: string): Promise<Done | Refused> {
  const [row] = await tx.select().from(accountEmails).where(sql`lower(${accountEmails.email}) = lower(${email})`).for("update").limit(1);
  if (!row) return refuse(`${email} is on no account: use “Add an address” instead.`, 404, "email");
  if (row.accountId === account.id) return refuse(`${row.email} is already on this account.`, 409, "email");
  const siblings = await tx.select().from(accountEmails).where(eq(accountEmails.accountId, row.accountId)).for("update");
  if (row.isPrimary) return refuse(`${row.email} is the primary address of the other account: make another of its addresses primary there first.`, 409, "email");
  if (siblings.length <= 1) return refuse(`${row.email} is the only address of the other account, so it can't leave it.`, 409, "email");
  if ((await countAddresses(tx, account.id)) >= MAX_ADDRESSES_PER_ACCOUNT) return refuse(`This account already has ${MAX_ADDRESSES_PER_ACCOUNT} addresses; remove one first.`, 409, "email");

  const [from] = await tx.select({ id: accounts.id, name: accounts.name }).from(accounts).where(eq(accounts.id, row.accountId)).limit(1);
  await tx.update(accountEmails).set({ accountId: account.id, isPrimary: false }).where(eq(accountEmails.id, row.id));
  const fromPrimary = siblings.find((s) => s.isPrimary);
  const [toPrimary] = await tx.select({ email: accountEmails.email }).from(accountEmails).where(and(eq(accountEmails.accountId, account.id), eq(accountEmails.isPrimary, true))).limit(1);
  if (fromPrimary) await enqueueMail(tx, addressMovedMessage({ to: fromPrimary.email, name: from.name, email: row.email, direction: "out", appUrl: config.appUrl }));
  await enqueueMail(tx, addressMovedMessage({ to: toPrimary?.email ?? row.email, name: account.name, email: row.email, direction: "in", appUrl: config.appUrl }));
  return {
    ok: true,
    action: "email.move",
    targetType: "email",
    targetId: row.id,
    before: { accountId: from.id, email: row.email, verified: Boolean(row.verifiedAt) },
    after: { accountId: account.id, email: row.email, verified: Boolean(row.verifiedAt) },
    evidence: `Evidence: ${evidence}`,
    note: `moved ${row.email} (with its badges) here from the account of ${from.name}. Evidence: ${evidence}. Undo: move it back from that account's page.`,
    notice: `Moved ${row.email} and its badges here from ${from.name}'s account; both accounts were emailed. To undo, move it back from /agent/accounts/${from.id}.`,
    alsoAudit: { accountId: from.id, action: "email.move_out", after: { movedTo: account.id, email: row.email } },
  };
}

// ---------------------------------------------------------------------------------------------
// Awards

/** An award to one of the account's addresses (verified or not), with its badge and issuer. */
async function awardOfAccount(tx: Transaction, accountId: string, awardId: string) {
  const [row] = await tx
    .select({
      id: awards.id,
      recipientEmail: awards.recipientEmail,
      issuedOn: awards.issuedOn,
      badgeName: badgeClasses.name,
      issuerName: issuers.name,
      issuerContact: issuers.contactEmail,
      addressVerified: sql<boolean>`(select bool_or(e.verified_at is not null) from account_emails e where lower(e.email) = lower(${awards.recipientEmail}) and e.account_id = ${accountId})`,
    })
    .from(awards)
    .innerJoin(badgeClasses, eq(badgeClasses.id, awards.badgeClassId))
    .innerJoin(issuers, eq(issuers.id, badgeClasses.issuerId))
    .where(and(eq(awards.id, awardId), sql`exists (select 1 from account_emails e where lower(e.email) = lower(${awards.recipientEmail}) and e.account_id = ${accountId})`))
    .for("update", { of: awards })
    .limit(1);
  if (!row) return null;
  const history = await tx.select().from(revocations).where(eq(revocations.awardId, awardId)).orderBy(revocations.revokedAt, revocations.id).for("update");
  const snapshots = history.map((r) => ({
    id: r.id,
    reason: r.reason,
    revokedBy: r.revokedBy,
    revokedAt: r.revokedAt,
    reinstatement: r.reinstatedAt ? { authorisedBy: r.reinstatementAuthorisedBy ?? "", reference: r.reinstatementReference ?? "", recordedAt: r.reinstatedAt } : null,
  }));
  const active = activeRevocation({ revocations: snapshots });
  return { ...row, revocation: active ? history.find((r) => r.id === active.id)! : null };
}

const AWARD_NOT_FOUND = "That badge was not awarded to an address on this account. Reload the page.";

async function resendAwardNotice(tx: Transaction, { account }: Context, awardId: string): Promise<Done | Refused> {
  const award = await awardOfAccount(tx, account.id, awardId);
  if (!award) return refuse(AWARD_NOT_FOUND, 404);
  if (award.revocation) return refuse(`“${award.badgeName}” is revoked: a notice would mislead. Use the issuer hand-off instead.`);
  await enqueueMail(tx, awardNoticeMessage({ to: award.recipientEmail, badgeName: award.badgeName, issuerName: award.issuerName, issuedOn: formatDay(award.issuedOn), appUrl: config.appUrl }));
  return {
    ok: true,
    action: "award.notice_resent",
    targetType: "award",
    targetId: award.id,
    after: { sentTo: award.recipientEmail },
    note: `resent the award notice for “${award.badgeName}” to ${award.recipientEmail}.`,
    notice: `The notice for “${award.badgeName}” was sent again to ${award.recipientEmail}.`,
  };
}

async function restoreRemovedAward(tx: Transaction, { account }: Context, awardId: string): Promise<Done | Refused> {
  const change = await restoreAwardIn(tx, { accountId: account.id, awardId });
  if (!change.ok) {
    return change.result.reason === "not_removed" ? refuse("That badge is not removed: it is already in the backpack (or not there for another reason).") : refuse(AWARD_NOT_FOUND, 404);
  }
  return {
    ok: true,
    action: "award.restore",
    targetType: "award",
    targetId: awardId,
    before: change.before,
    after: change.after,
    note: `restored “${change.result.badgeName}” to the backpack.`,
    notice: `“${change.result.badgeName}” is back in the backpack.`,
  };
}

/** "Ask the issuer": the hand-off for a revoked badge; the ticket waits for the issuer's answer. */
async function askIssuer(tx: Transaction, { account, actor, ticket }: Context, awardId: string, note: string | null): Promise<Done | Refused> {
  const award = await awardOfAccount(tx, account.id, awardId);
  if (!award) return refuse(AWARD_NOT_FOUND, 404);
  if (!award.revocation) return refuse(`“${award.badgeName}” is not revoked: there is nothing to ask the issuer.`);
  if (!award.issuerContact) return refuse(`${award.issuerName} has no contact address on record: reach them another way and record their answer.`);
  const learnerRequest = [note, ticket?.request].filter(Boolean).join("\n\n") || "(The learner asks for the badge to be reinstated.)";
  await enqueueMail(
    tx,
    issuerReinstatementRequestMessage({
      to: award.issuerContact,
      issuerName: award.issuerName,
      badgeName: award.badgeName,
      recipientEmail: award.recipientEmail,
      issuedOn: formatDay(award.issuedOn),
      revocation: { reason: award.revocation.reason, revokedBy: award.revocation.revokedBy, revokedOn: formatDay(award.revocation.revokedAt) },
      learnerRequest,
      ticketReference: ticket?.reference ?? null,
      agentName: actor.name,
    }),
  );
  return {
    ok: true,
    action: "award.issuer_asked",
    targetType: "award",
    targetId: award.id,
    after: { issuerContact: award.issuerContact, revocationId: award.revocation.id },
    note: `asked ${award.issuerName} (${award.issuerContact}) to authorise reinstating “${award.badgeName}”. Waiting for issuer.`,
    notice: `Asked ${award.issuerName} at ${award.issuerContact}.${ticket ? " The ticket is pending, waiting for the issuer." : ""}`,
    ticketStatus: "pending",
  };
}

/**
 * "Record issuer's authorisation": the revocation stays in the history with its reinstatement
 * beside it (who authorised it, the date, their reference); the badge is back in the backpack.
 */
async function recordAuthorisation(
  tx: Transaction,
  { account, actor }: Context,
  input: Extract<AgentActionRequest, { intent: "record-authorisation" }>,
): Promise<Done | Refused> {
  const award = await awardOfAccount(tx, account.id, input.awardId);
  if (!award) return refuse(AWARD_NOT_FOUND, 404);
  if (!award.revocation) return refuse(`“${award.badgeName}” is not revoked (any more): there is nothing to reinstate.`);
  if (input.authorisedOn < award.revocation.revokedAt.toISOString().slice(0, 10)) {
    return refuse("The authorisation can't be dated before the revocation.", 400, "authorisedOn");
  }
  const now = new Date();
  await tx
    .update(revocations)
    .set({
      reinstatedAt: now,
      reinstatementAuthorisedBy: input.authorisedBy,
      reinstatementAuthorisedOn: input.authorisedOn,
      reinstatementReference: input.reference,
      reinstatementRecordedBy: actor.id,
    })
    .where(and(eq(revocations.id, award.revocation.id), isNull(revocations.reinstatedAt)));
  const authorisation = `${input.authorisedBy}, ${formatDay(new Date(`${input.authorisedOn}T00:00:00Z`))}, reference ${input.reference}`;
  return {
    ok: true,
    action: "award.reinstated",
    targetType: "award",
    targetId: award.id,
    before: { revoked: true, revocationId: award.revocation.id, reason: award.revocation.reason },
    after: { revoked: false, authorisedBy: input.authorisedBy, authorisedOn: input.authorisedOn, reference: input.reference },
    evidence: `Issuer's authorisation: ${authorisation}`,
    note: `recorded the issuer's authorisation (${authorisation}) and reinstated “${award.badgeName}”. The revocation stays in the history.`,
    notice: `“${award.badgeName}” is reinstated (authorised by ${input.authorisedBy}); the revocation stays in the history.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Pathway invitations

async function resendInvitation(tx: Transaction, { account }: Context, invitationId: string): Promise<Done | Refused> {
  const [invitation] = await tx
    .select({ id: pathwayInvitations.id, email: pathwayInvitations.email, status: pathwayInvitations.status, sentAt: pathwayInvitations.sentAt, pathwayName: pathways.name, issuerName: issuers.name })
    .from(pathwayInvitations)
    .innerJoin(pathways, eq(pathways.id, pathwayInvitations.pathwayId))
    .innerJoin(issuers, eq(issuers.id, pathways.issuerId))
    .where(
      and(
        eq(pathwayInvitations.id, invitationId),
        sql`exists (select 1 from account_emails e where lower(e.email) = lower(${pathwayInvitations.email}) and e.account_id = ${account.id})`,
      ),
    )
    .for("update", { of: pathwayInvitations })
    .limit(1);
  if (!invitation) return refuse("That invitation is not for an address on this account. Reload the page.", 404);
  if (invitation.status !== "pending") return refuse(`That invitation is ${invitation.status}: only a pending invitation can be sent again.`);
  const now = new Date();
  await tx.update(pathwayInvitations).set({ sentAt: now }).where(eq(pathwayInvitations.id, invitation.id));
  await enqueueMail(tx, pathwayInvitationMessage({ to: invitation.email, pathwayName: invitation.pathwayName, issuerName: invitation.issuerName, appUrl: config.appUrl }));
  return {
    ok: true,
    action: "invitation.resent",
    targetType: "invitation",
    targetId: invitation.id,
    before: { sentAt: invitation.sentAt },
    after: { sentAt: now, sentTo: invitation.email },
    note: `resent the invitation to the pathway “${invitation.pathwayName}” to ${invitation.email}.`,
    notice: `The invitation to “${invitation.pathwayName}” was sent again to ${invitation.email}.`,
  };
}
