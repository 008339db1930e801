// The public-page cache's byte handling: gzip assembled from pre-deflated parts around a fresh nonce.
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { deflateParts, etagMatches, gzipWithNonce } from "../../server/public-page-cache";

describe("gzip around a nonce", () => {
  test.each([
    ["nonces inside a page", ['<html><script nonce="', '">a()</script><script nonce="', '">b()</script></html>']],
    ["a nonce first and last", ["", "middle", ""]],
    ["a page without a nonce", ["<p>".repeat(5000)]],
  ])("decodes to the page with the nonce in place: %s", (_label, pieces) => {
    const parts = pieces.map((p) => Buffer.from(p));
    const nonce = Buffer.from("k3J+9Qz/0w==");
    const { bytes } = gzipWithNonce({ parts, deflatedParts: deflateParts(parts) }, nonce);
    expect(gunzipSync(bytes).toString()).toBe(pieces.join(nonce.toString()));
  });

  test("a large page is compressed, not just wrapped", () => {
    const html = `<main>${"<p>The badge is awarded to your email address.</p>".repeat(400)}</main>`;
    const parts = [Buffer.from(html)];
    expect(gzipWithNonce({ parts, deflatedParts: deflateParts(parts) }, Buffer.alloc(0)).bytes.length).toBeLessThan(html.length / 10);
  });
});

describe("If-None-Match", () => {
  test("weak comparison, lists and *", () => {
    const etag = 'W/"v1-abc"';
    expect(etagMatches('W/"v1-abc"', etag)).toBe(true);
    expect(etagMatches('"v1-abc"', etag)).toBe(true);
    expect(etagMatches('W/"old", W/"v1-abc"', etag)).toBe(true);
    expect(etagMatches("*", etag)).toBe(true);
    expect(etagMatches('W/"v2-abc"', etag)).toBe(false);
    expect(etagMatches(undefined, etag)).toBe(false);
  });
});
