import { describe, expect, test } from "vitest";
import { articleBody, articleSource, bodyLineOffset, byNeedsAttention, chosenCodes, helpfulShare, slugFromTitle, sniffImageType, splitTags, wordDiff } from "~/modules/kb/editor-rules";
import { describeSearches, stackedBars } from "~/modules/kb/insights-charts";
import { readFrontMatter } from "~/modules/kb/article-compiler.server";

describe("word diff", () => {
  test("marks the words removed and added, keeping the rest", () => {
    const parts = wordDiff("Open the badge in your backpack.", "Open the badge in My badges.");
    expect(parts.map((p) => p.kind)).toEqual(["same", "removed", "added"]);
    expect(parts.filter((p) => p.kind === "removed").map((p) => p.text.trim())).toEqual(["your backpack."]);
    expect(parts.filter((p) => p.kind === "added").map((p) => p.text.trim())).toEqual(["My badges."]);
    expect(wordDiff("same text", "same text")).toEqual([{ kind: "same", text: "same text" }]);
    expect(wordDiff("", "new")).toEqual([{ kind: "added", text: "new" }]);
  });

  test("putting the parts of each side together gives back both texts", () => {
    const before = "one two three four five six";
    const after = "zero one three four 4.5 six seven";
    const parts = wordDiff(before, after);
    expect(parts.filter((p) => p.kind !== "added").map((p) => p.text).join("")).toBe(before);
    expect(parts.filter((p) => p.kind !== "removed").map((p) => p.text).join("")).toBe(after);
  });
});

describe("front matter written like content/ files", () => {
  test("the source reads back as the same fields and body, with quotes where YAML needs them", () => {
    const fields = { title: 'Why "expired": a badge\'s end', summary: "An issuer set an end date: it passed.", category: "backpack-and-badges", tags: ["expired", "yes", "a, b"], codes: ["award_expired"], updated: "2026-11-29" };
    const source = articleSource(fields, "\n\nBody line one.\n\n## Section\n");
    const read = readFrontMatter(source);
    expect(read).toMatchObject({ ok: true, frontMatter: { title: fields.title, summary: fields.summary, tags: ["expired", "yes", "a, b"], codes: ["award_expired"], updated: "2026-11-29" } });
    expect(articleBody(source)).toBe("Body line one.\n\n## Section\n");
    expect(source.split("\n")[bodyLineOffset(source)]).toBe("Body line one.");
  });

  test("tags are split on commas without empties or repeats; codes keep only known ones", () => {
    expect(splitTags(" badge ,  missing   badge,,badge ")).toEqual(["badge", "missing badge"]);
    expect(chosenCodes(["award_expired", "drop table", "award_revoked"])).toEqual(["award_revoked", "award_expired"]);
    expect(slugFromTitle("Where's my badge? (Ünïcode)")).toBe("where-s-my-badge-unicode");
  });
});

describe("images are known by their bytes", () => {
  test("PNG, JPEG and WebP signatures; anything else is refused whatever it is called", () => {
    expect(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("image/png");
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffImageType(Uint8Array.from([...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WEBP")]))).toBe("image/webp");
    expect(sniffImageType(Buffer.from("<svg onload=alert(1)>"))).toBeNull();
    expect(sniffImageType(Buffer.from("GIF89a"))).toBeNull();
  });
});

describe("needs attention", () => {
  test("a low share of Yes with enough votes comes first; too few votes don't count as a share", () => {
    const rows = [
      { title: "A", yes: 1, no: 0 },
      { title: "B", yes: 9, no: 1 },
      { title: "C", yes: 2, no: 8 },
      { title: "D", yes: 0, no: 2, openComments: 3 },
    ];
    expect([...rows].sort(byNeedsAttention).map((r) => r.title)).toEqual(["C", "B", "D", "A"]);
    expect(helpfulShare({ yes: 2, no: 2 })).toBeNull();
    expect(helpfulShare({ yes: 3, no: 2 })).toBe(0.6);
  });
});

describe("charts", () => {
  test("stacked bars fill the height at the busiest day and say it in words", () => {
    const chart = stackedBars([[1, 1], [4, 0], [0, 0]], { width: 300, height: 100, gap: 0 });
    expect(chart.max).toBe(4);
    expect(chart.bars).toEqual([
      { x: 0, y: 75, width: 100, height: 25, series: 0 },
      { x: 0, y: 50, width: 100, height: 25, series: 1 },
      { x: 100, y: 0, width: 100, height: 100, series: 0 },
    ]);
    expect(describeSearches([{ searches: 8, zeroResults: 2 }], 7)).toBe("8 searches in the last 7 days; 2 found nothing (25 %).");
  });
});
