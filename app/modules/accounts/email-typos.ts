// Spotting email addresses that are probably typos of one another. Issuers type the
// recipient address by hand, so an award to "ana@gmial.com" usually belongs to the learner
// whose account holds "ana@gmail.com". Pure, no I/O, never throws.
import { boundedEditDistance } from "~/lib/edit-distance";

/** Addresses compare case-insensitively (DESIGN.md), and pasted ones often carry spaces. */
export function normalizeEmail(s: string): string {
  return typeof s === "string" ? s.trim().toLowerCase() : "";
}

/**
 * Candidates that look like a typo of `address` (or the other way round), closest first.
 * A candidate that differs only in capital letters comes first: it is the classic
 * "capital letters" problem. A candidate identical to `address` is never returned, and
 * neither is the same local part at a sibling domain of one organisation
 * (ana@cs.uni.edu vs ana@ee.uni.edu are two real mailboxes, not a slip).
 */
export function likelyTypoMatches(address: string, candidates: string[]): string[] {
  const raw = typeof address === "string" ? address.trim() : "";
  if (!raw || !Array.isArray(candidates)) return [];

  const seen = new Set<string>();
  const matches: { candidate: string; distance: number; index: number }[] = [];
  candidates.forEach((value, index) => {
    if (typeof value !== "string") return;
    const candidate = value.trim();
    const key = normalizeEmail(candidate);
    if (!candidate || candidate === raw || seen.has(key)) return;
    const distance = typoDistance(raw, candidate);
    if (distance === null) return;
    seen.add(key);
    matches.push({ candidate, distance, index });
  });

  return matches.sort((a, b) => a.distance - b.distance || a.index - b.index).map((m) => m.candidate);
}

// Beyond this many slips two addresses are more likely two people than one typo.
const MAX_TYPO_DISTANCE = 2;
// Emails are at most 254 characters; anything longer is junk not worth a quadratic loop.
const MAX_ADDRESS_LENGTH = 320;

/** 0 for a case-only difference, 1–2 for a likely typo, null for "not a typo". */
function typoDistance(address: string, candidate: string): number | null {
  const a = normalizeEmail(address);
  const b = normalizeEmail(candidate);
  if (!a || !b || a.length > MAX_ADDRESS_LENGTH || b.length > MAX_ADDRESS_LENGTH) return null;
  if (a === b) return 0;
  // Correcting a provider's name and ".com" changes an address's length by at most 2 (gmaiil →
  // gmail, co → com) and a corrected pair counts one slip less, so two addresses more than
  // (MAX - 1) + 2 + 2 characters apart can't be within reach: most candidates stop here.
  if (Math.abs(a.length - b.length) > MAX_TYPO_DISTANCE + 3) return null;

  const [localA, domainA] = splitAddress(a);
  const [localB, domainB] = splitAddress(b);
  if (domainA !== domainB) {
    if (localA === localB && sameOrganisation(domainA, domainB)) return null;
    // ana@ymail.com and ana@gmail.com are one letter apart but both real mailboxes.
    if (REAL_PROVIDER_DOMAINS.has(domainA) && REAL_PROVIDER_DOMAINS.has(domainB)) return null;
  }
  // "a@x.com" vs "b@x.com": when the slips replace the whole local part, it's another person.
  if (localA !== localB) {
    const localDistance = boundedEditDistance(localA, localB, MAX_TYPO_DISTANCE);
    if (localDistance >= Math.min(localA.length, localB.length)) return null;
  }

  const whole = boundedEditDistance(a, b, MAX_TYPO_DISTANCE);
  // A misspelt provider ("hotmial.con") counts as one slip however many letters it moved.
  const fixedA = `${localA}@${canonicalProviderDomain(domainA)}`;
  const fixedB = `${localB}@${canonicalProviderDomain(domainB)}`;
  const domainFixed = fixedA !== a || fixedB !== b;
  const afterFix = domainFixed ? boundedEditDistance(fixedA, fixedB, MAX_TYPO_DISTANCE) + 1 : Infinity;

  const distance = Math.min(whole, afterFix);
  return distance <= MAX_TYPO_DISTANCE ? distance : null;
}

function splitAddress(address: string): [local: string, domain: string] {
  const at = address.lastIndexOf("@");
  return at < 0 ? [address, ""] : [address.slice(0, at), address.slice(at + 1)];
}

export const PROVIDER_NAME_TYPOS: Readonly<Record<string, string>> = {
  gmial: "gmail", gmal: "gmail", gmil: "gmail", gamil: "gmail", gmaill: "gmail", gnail: "gmail",
  gmai: "gmail", gmali: "gmail", gmaiil: "gmail",
  hotmial: "hotmail", hotmal: "hotmail", hotmai: "hotmail", hotmil: "hotmail", homail: "hotmail",
  hotamil: "hotmail", hotmaill: "hotmail", hotnail: "hotmail",
  outlok: "outlook", outllok: "outlook", outloo: "outlook", otlook: "outlook", outlookk: "outlook",
  yaho: "yahoo", yahooo: "yahoo", yhoo: "yahoo", yahho: "yahoo", yaoo: "yahoo",
  iclod: "icloud", icoud: "icloud", icluod: "icloud",
};
export const PROVIDER_NAMES: ReadonlySet<string> = new Set(["gmail", "hotmail", "outlook", "yahoo", "icloud", "live", "aol"]);
export const TLD_TYPOS: Readonly<Record<string, string>> = {
  con: "com", cm: "com", co: "com", om: "com", cmo: "com", ocm: "com", comm: "com", vom: "com",
  xom: "com", cim: "com",
};
const REAL_PROVIDER_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "ymail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com",
  "hotmail.co.uk", "hotmail.fr", "outlook.com", "live.com", "msn.com", "icloud.com", "me.com",
  "mac.com", "aol.com", "aim.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "proton.me",
  "protonmail.com",
]);

/**
 * The address a misspelt one most likely meant: a slip in a big provider's name ("gmial") or in
 * its ".com" ("gmail.con") is corrected, both at once too; anything else comes back normalised.
 * Lookups find awards to ana@gmial.com from ana@gmail.com through an index on the SQL twin of
 * this function, accounts_intended_address() (db/migrations/0006_accounts_misspelt_awards.sql);
 * an integration test keeps the two in step.
 */
export function intendedAddress(address: string): string {
  const normalized = normalizeEmail(address);
  const match = /^([^@]+)@([^@.]+)\.([^@.]+)$/.exec(normalized);
  if (!match) return normalized;
  const [, local, name, tld] = match;
  const domain = canonicalProviderDomain(`${name}.${tld}`);
  return `${local}@${domain}`;
}

/** "gmial.con" → "gmail.com"; any domain that isn't a misspelt big provider is returned as is. */
function canonicalProviderDomain(domain: string): string {
  const labels = domain.split(".");
  if (labels.length !== 2) return domain;
  const name = lookup(PROVIDER_NAME_TYPOS, labels[0]);
  // Only for the big providers: "example.co" is a real domain, "gmail.co" is a slip.
  if (!PROVIDER_NAMES.has(name)) return domain;
  return `${name}.${lookup(TLD_TYPOS, labels[1])}`;
}

/** The table's entry for a key, or the key itself; "constructor" and friends are not entries. */
function lookup(table: Readonly<Record<string, string>>, key: string): string {
  return Object.hasOwn(table, key) ? table[key] : key;
}

// Second-level labels under which a country registry hands out names (uni.ac.uk, acme.co.nz).
const COUNTRY_SECOND_LEVELS = new Set(["ac", "co", "com", "edu", "gov", "net", "org", "sch"]);

/** cs.uni.edu and ee.uni.edu → both "uni.edu"; student.uni.ac.uk → "uni.ac.uk". */
function organisationDomain(domain: string): string {
  const labels = domain.split(".").filter(Boolean);
  const n = labels.length;
  const keep = n >= 3 && labels[n - 1].length === 2 && COUNTRY_SECOND_LEVELS.has(labels[n - 2]) ? 3 : 2;
  return labels.slice(-keep).join(".");
}

function sameOrganisation(domainA: string, domainB: string): boolean {
  return domainA !== "" && domainB !== "" && organisationDomain(domainA) === organisationDomain(domainB);
}
