import { describe, expect, test } from "vitest";
import { misspeltAddressVerdict } from "~/modules/accounts/misspelt-address";

const ana = [
  { email: "ana.souza@example.org", verified: true },
  { email: "ana@lakeside.example.edu", verified: false },
];

describe("which typed address a learner may look into", () => {
  test("a slip before the @ of a verified address, on no account, is shown with the address it was meant for", () => {
    for (const typed of ["ana.suoza@example.org", "anna.souza@example.org", "  Ana.Sousa@Example.org "]) {
      expect(misspeltAddressVerdict({ typed, ownAddresses: ana, heldByAnAccount: false })).toMatchObject({ kind: "misspelling", meant: "ana.souza@example.org" });
    }
  });

  test("the learner's own address, in any case, is theirs already", () => {
    expect(misspeltAddressVerdict({ typed: "ANA@Lakeside.example.edu", ownAddresses: ana, heldByAnAccount: true })).toEqual({ kind: "own_address" });
  });

  test("an address on another account, a stranger's address, or a slip of an unverified address shows nothing", () => {
    expect(misspeltAddressVerdict({ typed: "ana.suoza@example.org", ownAddresses: ana, heldByAnAccount: true })).toEqual({ kind: "not_shown" });
    expect(misspeltAddressVerdict({ typed: "ben.okafor@example.org", ownAddresses: ana, heldByAnAccount: false })).toEqual({ kind: "not_shown" });
    expect(misspeltAddressVerdict({ typed: "ana@lakesde.example.edu", ownAddresses: ana, heldByAnAccount: false })).toEqual({ kind: "not_shown" });
    expect(misspeltAddressVerdict({ typed: "x@example.org", ownAddresses: [], heldByAnAccount: false })).toEqual({ kind: "not_shown" });
  });
});
