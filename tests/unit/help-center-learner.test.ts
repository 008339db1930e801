import { describe, expect, test } from "vitest";
import { mergeSuggestions } from "~/components/tickets/article-suggestions";
import { formatMoment } from "~/lib/dates";
import { canonicalEmailAddress, emailField, isEmptyOrEmailAddress } from "~/lib/fields";
import { deviceName } from "~/modules/auth/roles";
import { confirmsDeletion } from "~/modules/profile/profile";
import { csatShare, ratingRefusal } from "~/modules/tickets/ratings";
import { countCharacters } from "~/modules/tickets/ticket-rules";
import { SignedInTicketForm } from "~/modules/tickets/schemas";

describe("international domains (IDN)", () => {
  test("a domain with non-English letters is stored in its ASCII form, so both spellings are one address", () => {
    expect(canonicalEmailAddress("Ana@Bücher.example")).toBe("Ana@xn--bcher-kva.example");
    expect(canonicalEmailAddress("ana@xn--bcher-kva.example")).toBe("ana@xn--bcher-kva.example");
    expect(emailField().parse(" ana@bücher.example ")).toBe("ana@xn--bcher-kva.example");
    expect(isEmptyOrEmailAddress("jo@münchen.example")).toBe(true);
    // Plain addresses are untouched; junk stays junk for the shape check to refuse.
    expect(canonicalEmailAddress("Jo.Smith@Example.com")).toBe("Jo.Smith@Example.com");
    expect(emailField().safeParse("not an address").success).toBe(false);
    expect(emailField().safeParse("a@b ü c").success).toBe(false);
  });
});

describe("characters as a person counts them", () => {
  test("an emoji, a flag or an accented letter is one, as the limit counts", () => {
    expect(countCharacters("👍")).toBe(1);
    expect(countCharacters("🇫🇷")).toBe(1);
    expect(countCharacters("e\u0301")).toBe(1);
    expect(countCharacters("abc")).toBe(3);
  });

  test("the description limit lets 10,000 emoji through and refuses 10,001", () => {
    const form = (description: string) =>
      SignedInTicketForm.safeParse({ category: "other", subject: "Emoji test", description, idempotencyKey: "5f0c7c7e-8d1f-4c57-9b7a-2b0a4b1e9d11" });
    expect(form("👍".repeat(10_000)).success).toBe(true);
    expect(form("👍".repeat(10_001)).success).toBe(false);
  });
});

describe("the one date format", () => {
  test("a Date and its JSON form are written the same", () => {
    const at = new Date("2026-03-05T14:05:00Z");
    expect(formatMoment(at)).toBe("5 March 2026 at 14:05 UTC");
    expect(formatMoment(at.toISOString())).toBe("5 March 2026 at 14:05 UTC");
    expect(formatMoment("yesterday")).toBe("an unknown time");
  });
});

describe("suggestions for the learner's account", () => {
  test("the account's articles lead, each article once, five at most", () => {
    const a = (slug: string) => ({ slug, url: `/faq/x/${slug}`, title: slug, summary: "" });
    expect(mergeSuggestions([a("mine")], [a("one"), a("mine"), a("two"), a("three"), a("four"), a("five")]).map((x) => x.slug)).toEqual([
      "mine",
      "one",
      "two",
      "three",
      "four",
    ]);
  });
});

describe("My profile and ratings: small rules", () => {
  test("the deletion phrase ignores capitals and spaces, nothing else", () => {
    expect(confirmsDeletion("  Delete   my ACCOUNT ")).toBe(true);
    expect(confirmsDeletion("delete my acount")).toBe(false);
  });

  test("a session is named by its browser and system", () => {
    expect(deviceName("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")).toBe("Chrome on Linux");
    expect(deviceName("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1")).toBe("Safari on iOS");
    expect(deviceName(null)).toBe("A browser");
  });

  test("a rating is asked once resolved and changeable for 7 days", () => {
    const now = new Date("2026-11-29T12:00:00Z");
    expect(ratingRefusal({ status: "open", existing: null, now })).toBe("not_finished");
    expect(ratingRefusal({ status: "resolved", existing: null, now })).toBeNull();
    expect(ratingRefusal({ status: "closed", existing: { firstRatedAt: new Date("2026-11-23T12:00:01Z") }, now })).toBeNull();
    expect(ratingRefusal({ status: "resolved", existing: { firstRatedAt: new Date("2026-11-22T12:00:00Z") }, now })).toBe("locked");
    expect(csatShare(3, 1)).toBe(75);
    expect(csatShare(0, 0)).toBeNull();
  });
});
