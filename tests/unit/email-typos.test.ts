import { describe, test, expect } from "vitest";
import { intendedAddress, likelyTypoMatches, normalizeEmail, PROVIDER_NAME_TYPOS, TLD_TYPOS } from "~/modules/accounts/email-typos";

describe("normalizeEmail", () => {
  test("trims spaces and lowercases, so pasted and shouted addresses compare equal", () => {
    expect(normalizeEmail("  Ana.Silva@Gmail.COM \n")).toBe("ana.silva@gmail.com");
  });

  test("returns an empty string for a value that isn't a string instead of throwing", () => {
    expect(normalizeEmail(undefined as unknown as string)).toBe("");
    expect(normalizeEmail(42 as unknown as string)).toBe("");
  });
});

describe("likelyTypoMatches", () => {
  test("finds the account address behind a swapped-letter provider (gmial)", () => {
    expect(likelyTypoMatches("ana@gmial.com", ["ben@school.edu", "ana@gmail.com"])).toEqual(["ana@gmail.com"]);
  });

  test.each([
    ["ana@gmal.com", "ana@gmail.com"],
    ["ana@gmail.co", "ana@gmail.com"],
    ["ana@gmail.con", "ana@gmail.com"],
    ["ana@gmail.cm", "ana@gmail.com"],
    ["ana@hotmial.com", "ana@hotmail.com"],
    ["ana@outlok.com", "ana@outlook.com"],
    ["ana@yaho.com", "ana@yahoo.com"],
    ["ana@hotmial.con", "ana@hotmail.com"],
  ])("%s is recognised as a misspelling of %s", (typo, real) => {
    expect(likelyTypoMatches(typo, [real])).toEqual([real]);
  });

  test("a misspelt provider plus a one-letter slip in the name is still found", () => {
    // Three letters apart character by character, but "gmial.con" is one well-known slip.
    expect(likelyTypoMatches("anna.silva@gmial.con", ["ana.silva@gmail.com"])).toEqual(["ana.silva@gmail.com"]);
  });

  test("works the other way round: the typo is on the account, the real address on the award", () => {
    expect(likelyTypoMatches("ana@gmail.com", ["ana@gmial.com"])).toEqual(["ana@gmial.com"]);
  });

  test("returns an address that differs only in capital letters, ahead of real typos", () => {
    expect(likelyTypoMatches("Ana.Silva@School.edu", ["ana.silvaa@school.edu", "ana.silva@school.edu"])).toEqual([
      "ana.silva@school.edu",
      "ana.silvaa@school.edu",
    ]);
  });

  test("finds a one-letter slip in the name", () => {
    expect(likelyTypoMatches("jon.doe@school.edu", ["john.doe@school.edu"])).toEqual(["john.doe@school.edu"]);
  });

  test("finds two neighbouring letters swapped in the name", () => {
    expect(likelyTypoMatches("jhon.doe@school.edu", ["john.doe@school.edu"])).toEqual(["john.doe@school.edu"]);
  });

  test("orders matches by closeness, then by the order given", () => {
    const matches = likelyTypoMatches("maria@uni.edu", ["mario1@uni.edu", "marla@uni.edu", "MARIA@uni.edu"]);
    expect(matches).toEqual(["MARIA@uni.edu", "marla@uni.edu", "mario1@uni.edu"]);
  });

  test("returns nothing for unrelated addresses", () => {
    expect(likelyTypoMatches("ana@gmail.com", ["ben.okafor@school.edu", "carla@outlook.com"])).toEqual([]);
  });

  test("three or more slips are too many to call a typo", () => {
    expect(likelyTypoMatches("johnny@school.edu", ["jon@school.edu"])).toEqual([]);
  });

  test("never returns the very same address", () => {
    expect(likelyTypoMatches("ana@gmail.com", ["ana@gmail.com", " ana@gmail.com "])).toEqual([]);
  });

  test("the same name at a sibling domain of one organisation is a different mailbox, not a typo", () => {
    expect(likelyTypoMatches("ana@cs.uni.edu", ["ana@ee.uni.edu", "ana@uni.edu"])).toEqual([]);
    expect(likelyTypoMatches("ana@cs.uni.ac.uk", ["ana@ee.uni.ac.uk"])).toEqual([]);
  });

  test("two real providers one letter apart are not a typo of each other", () => {
    expect(likelyTypoMatches("ana@ymail.com", ["ana@gmail.com"])).toEqual([]);
  });

  test("a country domain like example.co is not mistaken for a misspelt .com", () => {
    expect(likelyTypoMatches("ana.lopez@acme.co", ["ana.lopez@acme.com"])).toEqual(["ana.lopez@acme.com"]);
    expect(likelyTypoMatches("ana.lopez@acme.co", ["ana.lopez@other.com"])).toEqual([]);
  });

  test("very short names that differ entirely are different people", () => {
    expect(likelyTypoMatches("a@school.edu", ["b@school.edu"])).toEqual([]);
    expect(likelyTypoMatches("jo@school.edu", ["al@school.edu"])).toEqual([]);
  });

  test("candidates differing only in case are returned once", () => {
    expect(likelyTypoMatches("ana@gmial.com", ["Ana@Gmail.com", "ana@gmail.com"])).toEqual(["Ana@Gmail.com"]);
  });

  test("odd input gives an empty answer, never an error", () => {
    expect(likelyTypoMatches("", ["ana@gmail.com"])).toEqual([]);
    expect(likelyTypoMatches("ana@gmail.com", [])).toEqual([]);
    expect(likelyTypoMatches("ana@gmail.com", null as unknown as string[])).toEqual([]);
    expect(likelyTypoMatches(null as unknown as string, ["ana@gmail.com"])).toEqual([]);
    expect(likelyTypoMatches("ana@gmail.com", [undefined as unknown as string, "", "@", "ana@"])).toEqual([]);
    expect(likelyTypoMatches("x".repeat(5000) + "@gmail.com", ["x".repeat(4999) + "@gmail.com"])).toEqual([]);
  });
});

describe("intendedAddress", () => {
  test.each([
    ["Ben.Okafor@Gmial.com", "ben.okafor@gmail.com"],
    ["ben.okafor@gmail.con", "ben.okafor@gmail.com"],
    ["ben.okafor@gmial.con", "ben.okafor@gmail.com"],
    ["ana@hotmial.fr", "ana@hotmail.fr"],
    ["ben.okafor@gmial.example", "ben.okafor@gmail.example"],
    ["  ana@outlok.com ", "ana@outlook.com"],
  ])("%s most likely meant %s", (typed, meant) => {
    expect(intendedAddress(typed)).toBe(meant);
  });

  test("every misspelling it corrects is one likelyTypoMatches recognises, so lookups and explanations agree", () => {
    for (const typo of Object.keys(PROVIDER_NAME_TYPOS)) {
      const meant = intendedAddress(`ana.silva@${typo}.com`);
      expect(likelyTypoMatches(`ana.silva@${typo}.com`, [meant])).toEqual([meant]);
    }
    for (const tld of Object.keys(TLD_TYPOS)) {
      expect(likelyTypoMatches(`ana.silva@gmail.${tld}`, [intendedAddress(`ana.silva@gmail.${tld}`)])).toHaveLength(1);
    }
  });

  test("real domains are left alone: other organisations, real providers, country domains, subdomains", () => {
    for (const address of ["ana@school.example.edu", "ana@acme.co", "ana@ymail.com", "ana@gmail.co.uk", "ana@mail.gmial.com", "ana@gmail.com"]) {
      expect(intendedAddress(address)).toBe(normalizeEmail(address));
    }
  });

  test("slips on both sides that change the length most are still matched", () => {
    // ana@gmai.co (+2 once corrected) and ana@gmaiil.comm (-2) are both ana@gmail.com.
    expect(likelyTypoMatches("ana@gmai.co", ["ana@gmaiil.comm"])).toEqual(["ana@gmaiil.comm"]);
  });

  test("odd input comes back normalised, never an error", () => {
    expect(intendedAddress("a@b@gmial.com")).toBe("a@b@gmial.com");
    expect(intendedAddress("ana@gmail.constructor")).toBe("ana@gmail.constructor");
    expect(intendedAddress("ana@constructor.com")).toBe("ana@constructor.com");
    for (const odd of ["", "@", "ana@", "@gmial.com", null, undefined, 42]) expect(typeof intendedAddress(odd as unknown as string)).toBe("string");
  });
});
