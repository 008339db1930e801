import { describe, expect, test } from "vitest";
import { DIAGNOSIS_CODES } from "~/modules/accounts/diagnosis";
import { ArticleFrontMatter, codesWithoutArticle, headingSlug, imageProblem, linkProblem, referenceProblems } from "~/modules/kb/article-rules";

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

describe("what an article refers to", () => {
  const targets = {
    articles: new Map([["/faq/pathways/lost-pathway-invitation", "I didn't accept my pathway invitation"]]),
    categories: new Set(["pathways"]),
  };
  const FRONT = '---\ntitle: "x"\n---\n';
  const problemsIn = (body: string) => referenceProblems(FRONT + body, targets).map((p) => `${p.line}:${p.column} ${p.message}`);

  test("links to real articles with their title, categories, real screens and sections pass", () => {
    expect(
      problemsIn(
        [
          "See [I didn't accept my pathway invitation](/faq/pathways/lost-pathway-invitation) or [all pathway articles](/faq/pathways).",
          "Open [My badges](/my/badges), then [My badges → Email addresses](/my/badges#addresses-heading), or [submit a ticket](/tickets/new?category=pathways).",
          "Go to **Apps → Pathways → My Pathways**, or **Apps → Pathways**. Also [an anchor](#fix-it) and [elsewhere](https://example.org).",
        ].join("\n"),
      ),
    ).toEqual([]);
  });

  test("a link to a slug that doesn't exist, or with another text than the title, is refused where it is", () => {
    expect(problemsIn("Read [this](/faq/pathways/lost-pathway-invitation).\nAnd [gone](/faq/pathways/no-such-article).")).toEqual([
      `4:6 link text "this" should be the title of the article it links to: "I didn't accept my pathway invitation"`,
      "5:5 link to /faq/pathways/no-such-article: no such article",
    ]);
  });

  test("a screen, section or menu path the product doesn't have is refused", () => {
    const problems = problemsIn("Open [your account](/my/account) or [My badges → Settings](/my/badges#settings).\nGo to **Backpack → Settings**.\nUse your account page, or **Account → Profile**.");
    expect(problems).toEqual([
      expect.stringMatching(/^4:6 link to \/my\/account: no such screen/),
      "4:37 link to /my/badges#settings: My badges has no such section",
      expect.stringMatching(/^5:7 menu path "Backpack → Settings" doesn't exist/),
      '6:10 "account page" is not a screen here; name My badges instead',
      '6:29 "Account → Profile" is not a screen here; name My badges → Email addresses instead',
    ]);
  });

  test("link text naming a menu path must match where the link goes", () => {
    expect(problemsIn("[My badges → Your backpack](/my/badges#addresses-heading) and [My badges → Email addresses](/my/badges)")).toEqual([
      '4:1 link text "My badges → Your backpack" names another screen than My badges → Email addresses',
      '4:63 link text "My badges → Email addresses" names a menu path, but the link goes to My badges (/my/badges)',
    ]);
  });

  test("every diagnosis code needs an article", () => {
    expect(codesWithoutArticle([DIAGNOSIS_CODES.slice(1)])).toEqual([DIAGNOSIS_CODES[0]]);
    expect(codesWithoutArticle([DIAGNOSIS_CODES.slice(0, 3), DIAGNOSIS_CODES.slice(3)])).toEqual([]);
  });
});
