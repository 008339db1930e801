// "A badge sent to a misspelt address?": which addresses a learner may look into. Pure.
//
// The account lookup finds awards to misspelt provider names (gmial.com) by itself; a slip in
// the part before the @ (ana.suoza@) can only be found from the address the issuer used, so the
// learner types it. What comes back is limited to what is plausibly theirs (DESIGN.md, Diagnosis):
// an address on no account (nobody receives mail there) that looks like a typo of one of their
// verified addresses. Anything else gets the same neutral answer, so the form can't be used to
// learn whether an address has an account or badges.
import { likelyTypoMatches, normalizeEmail } from "./email-typos";

export type MisspeltAddressVerdict =
  /** One of the account's own addresses: its badges are on the page already. */
  | { kind: "own_address" }
  /** On another account, or not a likely typo of a verified address: nothing is shown. */
  | { kind: "not_shown" }
  /** Show the badges at `address`, a likely misspelling of `meant`. */
  | { kind: "misspelling"; address: string; meant: string };

export function misspeltAddressVerdict({
  typed,
  ownAddresses,
  heldByAnAccount,
}: {
  typed: string;
  ownAddresses: { email: string; verified: boolean }[];
  heldByAnAccount: boolean;
}): MisspeltAddressVerdict {
  const address = normalizeEmail(typed);
  if (ownAddresses.some((own) => normalizeEmail(own.email) === address)) return { kind: "own_address" };
  if (heldByAnAccount) return { kind: "not_shown" };
  const [meant] = likelyTypoMatches(address, ownAddresses.filter((own) => own.verified).map((own) => own.email));
  return meant ? { kind: "misspelling", address, meant } : { kind: "not_shown" };
}
