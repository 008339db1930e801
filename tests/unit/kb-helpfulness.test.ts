import { describe, expect, test } from "vitest";
import { helpfulnessScore, rankByHelpfulness, relatedArticles } from "~/modules/kb/helpfulness";

describe("most helpful articles", () => {
  test("many votes beat a few perfect ones", () => {
    expect(helpfulnessScore({ yes: 40, no: 5 })).toBeGreaterThan(helpfulnessScore({ yes: 3, no: 0 }));
    expect(helpfulnessScore({ yes: 0, no: 0 })).toBe(0);
    expect(helpfulnessScore({ yes: 0, no: 10 })).toBe(0);
  });

  test("with few votes the most asked questions fill the list, without duplicates", () => {
    const articles = ["a", "b", "c", "d"].map((slug) => ({ articleId: slug, slug, title: slug.toUpperCase() }));
    const tallies = new Map([["c", { yes: 10, no: 1 }]]);
    expect(rankByHelpfulness(articles, tallies, { limit: 3, fallbackSlugs: ["c", "a", "missing", "b"] }).map((a) => a.slug)).toEqual(["c", "a", "b"]);
  });
});

describe("related articles", () => {
  const article = (slug: string, category: string, tags: string[], codes: string[]) => ({ slug, category, tags, codes, title: slug });
  test("shared diagnosis codes count most, then tags, then the category; never the article itself", () => {
    const current = article("missing", "backpack", ["verify email"], ["award_to_unverified_email"]);
    const all = [
      current,
      article("same-category", "backpack", [], []),
      article("same-tag", "account", ["Verify my address"], []),
      article("same-code", "account", [], ["award_to_unverified_email"]),
      article("unrelated", "issuers", ["bulk"], ["award_revoked"]),
    ];
    expect(relatedArticles(current, all).map((a) => a.slug)).toEqual(["same-code", "same-tag", "same-category"]);
  });

  test("tags meet word by word, so an obvious sibling in the same category comes first; words every article has count for nothing", () => {
    const current = article("email-address-changed", "account", ["email changed", "new email", "update email address"], []);
    const all = [
      current,
      article("change-primary-email", "account", ["primary email", "change primary", "old address"], []),
      article("merge", "account", ["merge accounts", "email"], []),
      article("delete", "account", ["delete account", "email"], []),
      article("wrong-address", "issuers", ["wrong email", "change recipient"], []),
    ];
    expect(relatedArticles(current, all).map((a) => a.slug)).toEqual(["change-primary-email", "delete", "merge"]);
  });
});
