import { describe, expect, test } from "vitest";
import { ArticleFrontMatter, headingSlug, imageProblem, linkProblem } from "~/modules/kb/article-rules";

describe("links in articles", () => {
  test.each(["/faq/pathways/lost-pathway-invitation", "#fix-it", "https://example.org/x", "http://example.org", "mailto:care@example.org", "../relative", "tickets/new"])("%s is fine", (url) => {
    expect(linkProblem(url)).toBeNull();
  });

  test.each(["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:x", "\u0001javascript:x", "vbscript:msgbox", "data:text/html,<script>", "file:///etc/passwd"])("%s is refused", (url) => {
    expect(linkProblem(url)).toMatch(/links are not allowed/);
  });

  test("a scheme-relative link would leave the site unnoticed", () => {
    expect(linkProblem("//evil.example/x")).toMatch(/leaves the site/);
  });

  test("images come from this site only", () => {
    expect(imageProblem("/images/profile.png")).toBeNull();
    expect(imageProblem("https://tracker.example/pixel.gif")).toMatch(/path on this site/);
    expect(imageProblem("//tracker.example/pixel.gif")).toMatch(/path on this site/);
  });
});

describe("heading anchors", () => {
  test("readable, unique within the page", () => {
    const taken = new Set<string>();
    expect(headingSlug("Fix it", taken)).toBe("fix-it");
    expect(headingSlug("Fix it!", taken)).toBe("fix-it-2");
    expect(headingSlug("Où est mon badge ?", taken)).toBe("ou-est-mon-badge");
    expect(headingSlug("???", taken)).toBe("section");
  });
});

describe("front matter", () => {
  const valid = { title: "A good title", summary: "One sentence that says what the article answers.", category: "pathways", tags: ["x"], codes: ["award_expired"], updated: "2026-11-21" };

  test("the shape our articles use", () => {
    expect(ArticleFrontMatter.safeParse(valid).success).toBe(true);
  });

  test.each([
    ["two sentences in the summary", { summary: "First sentence here. Second sentence here." }, "summary must be one sentence"],
    ["an unknown category", { category: "billing" }, "category must be one of"],
    ["an unknown diagnosis code", { codes: ["award_lost"] }, 'unknown diagnosis code "award_lost"'],
    ["a date that does not exist", { updated: "2026-02-31x" }, "updated must be a date like 2026-11-21"],
    ["no tags", { tags: [] }, "give at least one tag"],
  ])("%s is refused", (_label, change, message) => {
    const result = ArticleFrontMatter.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toContain(message);
  });

  test("an unknown field (a typo of a real one) is refused", () => {
    const result = ArticleFrontMatter.safeParse({ ...valid, tag: ["x"] });
    expect(result.error?.issues[0].code).toBe("unrecognized_keys");
  });
});
