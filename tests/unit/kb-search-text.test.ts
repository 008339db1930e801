import { describe, expect, test } from "vitest";
import { boundedEditDistance } from "~/lib/edit-distance";
import { normalizeQueryForLog, normalizeSearchText, snippetSegments, tokenize } from "~/modules/kb/search-text";

describe("tokenize", () => {
  test("words with their positions, lower-cased; punctuation and single letters dropped", () => {
    expect(tokenize("Hello, Wörld! I'm 42.")).toEqual([
      { word: "hello", start: 0, end: 5 },
      { word: "wörld", start: 7, end: 12 },
      { word: "42", start: 18, end: 20 },
    ]);
  });

  test("e-mail is the same word as email, as the articles spell it", () => {
    expect(tokenize("E-mail e-mails email").map((t) => t.word)).toEqual(["email", "emails", "email"]);
    expect(tokenize("x-ray e-").map((t) => t.word)).toEqual(["ray"]);
  });

  test("query syntax characters are just separators", () => {
    expect(tokenize("title:badge^10 +lost -email~2 back*").map((t) => t.word)).toEqual(["title", "badge", "10", "lost", "email", "back"]);
  });
});

describe("boundedEditDistance", () => {
  test("counts insertions, deletions, substitutions and swapped neighbours as one slip each", () => {
    expect(boundedEditDistance("invitation", "invitaton", 2)).toBe(1);
    expect(boundedEditDistance("recieved", "received", 2)).toBe(1);
    expect(boundedEditDistance("backpak", "backpack", 2)).toBe(1);
    expect(boundedEditDistance("verfication", "verification", 2)).toBe(1);
    expect(boundedEditDistance("badge", "badge", 1)).toBe(0);
  });

  test("gives up past the bound", () => {
    expect(boundedEditDistance("badge", "pathway", 2)).toBe(3);
    expect(boundedEditDistance("abc", "abcdefgh", 2)).toBe(3);
  });
});

describe("snippetSegments", () => {
  test("marks the ranges as text, never HTML", () => {
    expect(snippetSegments("<b>lost</b> email", [[3, 7], [12, 17]])).toEqual([
      { text: "<b>", highlighted: false },
      { text: "lost", highlighted: true },
      { text: "</b> ", highlighted: false },
      { text: "email", highlighted: true },
    ]);
  });

  test("overlapping, reversed, out-of-range or broken ranges cannot garble the text", () => {
    const text = "verify your email";
    const segments = snippetSegments(text, [[12, 17], [7, 11], [8, 10], [15, 99], [5, 2], [NaN, 3] as [number, number]]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
    expect(segments.filter((s) => s.highlighted).map((s) => s.text)).toEqual(["your", "email"]);
  });
});

describe("normalising queries", () => {
  test("the log keeps one spelling of a query", () => {
    expect(normalizeQueryForLog("  Lost   PATHWAY\tinvitation ")).toBe("lost pathway invitation");
  });

  test("control characters go and length is capped", () => {
    expect(normalizeSearchText("\u0000badge\u0007")).toBe("badge ");
    expect(normalizeSearchText("x".repeat(500))).toHaveLength(200);
  });
});
