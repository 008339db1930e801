// The pure rules behind the kept /api/search answers: which queries share an answer, which
// compression a client gets, which addresses /search/open may send a reader to.
import { describe, expect, test } from "vitest";
import { isArticlePath } from "~/modules/kb/categories";
import { searchQueryKey } from "~/modules/kb/search-index";
import { acceptedEncoding } from "../../server/compress";

describe("queries that share a kept answer", () => {
  test("case, spacing and punctuation between words don't make another search", () => {
    expect(searchQueryKey("Lost  PATHWAY invitation")).toBe(searchQueryKey("lost pathway invitation"));
    expect(searchQueryKey("  lost, pathway invitation")).toBe(searchQueryKey("lost pathway invitation"));
  });
  test("a word still being typed is another search than the finished word", () => {
    expect(searchQueryKey("lost pathway invit")).not.toBe(searchQueryKey("lost pathway invit "));
    expect(searchQueryKey("lost pathway")).not.toBe(searchQueryKey("lost pathways"));
  });
});

describe("compression, as compression() negotiates it", () => {
  test.each([
    [undefined, null],
    ["identity", null],
    ["gzip", "gzip"],
    ["gzip, deflate, br", "br"],
    ["br;q=0.5, gzip", "gzip"],
    ["br;q=0, gzip;q=0", null],
    ["deflate", "deflate"],
    ["*", "br"],
  ])("Accept-Encoding %j → %j", (header, expected) => {
    expect(acceptedEncoding(header)).toBe(expected);
  });
});

describe("where /search/open may send a reader", () => {
  test.each([
    ["/faq/pathways/lost-pathway-invitation", true],
    ["/faq/no-such-topic/x", false],
    ["/faq/pathways", false],
    ["https://evil.example/faq/pathways/x", false],
    ["//evil.example/faq/pathways/x", false],
    ["/faq/pathways/../../admin", false],
    [null, false],
  ])("%j → %j", (target, expected) => {
    expect(isArticlePath(target)).toBe(expected);
  });
});
