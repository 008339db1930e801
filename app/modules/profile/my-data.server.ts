// My profile's two heavy buttons: "Download my data" (everything we hold about the learner, as
// JSON) and "Delete my account" (one transaction across the contexts that hold their data).
import { db } from "#db/client.server";
import { getMyBadges } from "~/modules/accounts";
import { audit } from "~/modules/audit";
import { closeAccount, loadViewer, passwordMatches } from "~/modules/auth";
import { forgetVoter, votesForExport } from "~/modules/kb/voter-privacy.server";
import { accountDeletedMessage, enqueueMail } from "~/modules/mail";
import { anonymiseTicketsOf, ticketsForExport } from "~/modules/tickets/privacy.server";
import { confirmsDeletion, DELETE_PHRASE } from "./profile";

const voterKeyOf = (accountId: string) => `account:${accountId}`;

/** Everything about the learner: account, addresses, awards (those My badges shows), tickets with their messages, article votes. */
export async function exportMyData({ accountId, now = new Date() }: { accountId: string; now?: Date }) {
  const [viewer, badges, tickets, votes] = await Promise.all([
    loadViewer(accountId),
    getMyBadges({ accountId, now }),
    ticketsForExport({ accountId }),
    votesForExport({ voterKey: voterKeyOf(accountId) }),
  ]);
  if (!viewer || !badges) return null;
  const award = (b: (typeof badges.backpack)[number]) => ({
    badge: b.badgeName,
    issuer: b.issuerName,
    sentTo: b.recipientEmail,
    issuedOn: b.issuedOn,
    expiresOn: b.expiresOn,
    status: b.status,
  });
  return {
    exportedAt: now.toISOString(),
    account: { id: viewer.id, name: viewer.name, roles: viewer.roles },
    addresses: badges.addresses.map((a) => ({ email: a.email, verified: a.verified, primary: a.primary, movingHere: a.kind !== "own" })),
    awards: [...badges.backpack, ...badges.notInBackpack].map(award),
    tickets,
    votes,
  };
}
export type MyData = NonNullable<Awaited<ReturnType<typeof exportMyData>>>;

export type DeleteAccountResult = { ok: true; email: string | null } | { ok: false; errors: { password?: string; phrase?: string } };

/**
 * Deletes the account, confirmed by its password and the typed phrase. In one transaction:
 * tickets anonymised (kept), votes unlinked (kept), addresses released and the account emptied
 * (auth), an audit row (the log itself is never touched), and a confirmation to the primary
 * address through the outbox. Awards are the issuer's records and stay.
 */
export async function deleteMyAccount({ accountId, password, phrase }: { accountId: string; password: string; phrase: string }): Promise<DeleteAccountResult> {
  const errors: { password?: string; phrase?: string } = {};
  if (!confirmsDeletion(phrase)) errors.phrase = `Type “${DELETE_PHRASE}” to confirm.`;
  if (!(await passwordMatches(db, { accountId, password }))) errors.password = "That isn't your password.";
  if (errors.password || errors.phrase) return { ok: false, errors };
  return db.transaction(async (tx) => {
    const tickets = await anonymiseTicketsOf(tx, { accountId });
    await forgetVoter(tx, { voterKey: voterKeyOf(accountId) });
    const closed = await closeAccount(tx, { accountId });
    if (closed.primaryEmail) await enqueueMail(tx, accountDeletedMessage({ to: closed.primaryEmail, name: closed.name }));
    await audit(tx, {
      actorId: accountId,
      action: "account.deleted",
      targetType: "account",
      targetId: accountId,
      accountId,
      after: { addressesReleased: closed.addressCount, ticketsAnonymised: tickets },
      reason: "Deleted by its owner on My profile",
    });
    return { ok: true, email: closed.primaryEmail };
  });
}
