// The help center's public pages as any HTTP client sees them: served from the page cache with a
// fresh CSP nonce each time, ETag and 304, gzip, per-page metadata, the sitemap and the JSON API.
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { baseUrl } from "../support/browser";
import { rawGet } from "../support/raw-get";
import { ARTICLE_FILE_COUNT } from "../support/content";

const ARTICLE = "/faq/backpack-and-badges/lost-award-email";
const noncesIn = (html: string) => [...new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]))];
const nonceOf = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];

describe("public pages", () => {
  test("each response has its own nonce, the one its Content-Security-Policy names", async () => {
    const first = await fetch(`${baseUrl}${ARTICLE}`);
    const second = await fetch(`${baseUrl}${ARTICLE}`);
    expect(second.headers.get("x-page-cache")).toBe("hit");
    const [firstHtml, secondHtml] = [await first.text(), await second.text()];
    expect(noncesIn(firstHtml)).toEqual([nonceOf(first)]);
    expect(noncesIn(secondHtml)).toEqual([nonceOf(second)]);
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    for (const response of [first, second]) {
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    }
  });

  test("a matching If-None-Match gets 304, without a policy that would not match the stored page", async () => {
    const page = await fetch(`${baseUrl}${ARTICLE}`);
    const etag = page.headers.get("etag")!;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await fetch(`${baseUrl}${ARTICLE}`, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("content-security-policy")).toBeNull();
    expect(again.headers.get("x-frame-options")).toBe("DENY");
    const other = await fetch(`${baseUrl}${ARTICLE}`, { headers: { "If-None-Match": 'W/"something-else"' } });
    expect(other.status).toBe(200);
  });

  test("gzip-encoded pages decode to the same page", async () => {
    const raw = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${baseUrl}${ARTICLE}`, { headers: { "Accept-Encoding": "gzip" } }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk) => chunks.push(chunk));
          response.on("end", () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        })
        .on("error", reject);
    });
    expect(raw.headers["content-encoding"]).toBe("gzip");
    const unzipped = gunzipSync(raw.body).toString("utf8");
    const nonce = /'nonce-([^']+)'/.exec(String(raw.headers["content-security-policy"]))![1];
    expect(noncesIn(unzipped)).toEqual([nonce]);
    const plain = await (await fetch(`${baseUrl}${ARTICLE}`, { headers: { "Accept-Encoding": "identity" } })).text();
    const strip = (html: string) => html.replace(/nonce="[^"]+"/g, "");
    expect(strip(unzipped)).toBe(strip(plain));
  });

  test("signed-in visitors, voters and query strings get a freshly rendered, private page", async () => {
    const withSession = await fetch(`${baseUrl}${ARTICLE}`, { headers: { Cookie: "bd_session=whatever" } });
    expect(withSession.headers.get("x-page-cache")).toBeNull();
    expect(withSession.headers.get("cache-control")).toBe("private, no-store");
    const withQuery = await fetch(`${baseUrl}${ARTICLE}?utm_source=x`);
    expect(withQuery.headers.get("x-page-cache")).toBeNull();
  });

  test("every page names itself: title, description, canonical address", async () => {
    const html = await (await fetch(`${baseUrl}${ARTICLE}`)).text();
    expect(html).toContain("<title>I lost the award email. How do I get my badge? · badgedesk help</title>");
    // The description is the article's summary, which answers the question.
    expect(html).toMatch(/<meta name="description" content="You don&#x27;t need the email: the badge belongs to the address it was awarded to/);
    expect(html).toContain(`<link rel="canonical" href="${baseUrl}${ARTICLE}"/>`);
    expect(html).toContain('href="/tickets/new');
    const home = await (await fetch(`${baseUrl}/`)).text();
    expect(home).toContain(`<link rel="canonical" href="${baseUrl}/"/>`);
  });

  test("the sitemap lists every article with its date", async () => {
    const response = await fetch(`${baseUrl}/sitemap.xml`);
    expect(response.headers.get("content-type")).toContain("application/xml");
    const xml = await response.text();
    // The editor's browser test publishes articles of its own (editor-test-…) on the same server.
    const urls = (xml.match(/<loc>[^<]*<\/loc>/g) ?? []).filter((loc) => !loc.includes("/editor-test-"));
    expect(urls).toHaveLength(2 + 5 + ARTICLE_FILE_COUNT);
    expect(xml).toContain(`<loc>${baseUrl}${ARTICLE}</loc><lastmod>`);
  });

  test("the JSON search answers the agreed shape", async () => {
    const body = await (await fetch(`${baseUrl}/api/search?q=${encodeURIComponent("title:lost^10 +award -email~")}&limit=2`)).json();
    expect(body.query).toBe("title:lost^10 +award -email~");
    expect(body.results.length).toBeLessThanOrEqual(2);
    for (const result of body.results) expect(Object.keys(result)).toEqual(["slug", "url", "title", "summary", "snippet", "score", "highlights"]);
  });

  test.each([["no compression", undefined], ["gzip", "gzip"], ["a browser's list (br)", "gzip, deflate, br"]])(
    "a repeated search is answered from memory with the bytes and headers Remix sent the first time (%s)",
    async (_name, acceptEncoding) => {
      // A query no other test asks (digits are words nobody searches for), so the first answer is Remix's.
      const path = `/api/search?${new URLSearchParams({ q: `lost pathway ${Date.now()}${Math.floor(Math.random() * 1e6)}`, limit: "8" })}`;
      const first = await rawGet(path, acceptEncoding);
      expect(first.headers["x-search-cache"]).toBeUndefined();
      let again = await rawGet(path, acceptEncoding);
      // The kept answer is used while the content version was read less than a second ago.
      for (let tries = 0; again.headers["x-search-cache"] !== "hit" && tries < 20; tries++) again = await rawGet(path, acceptEncoding);
      expect(again.headers["x-search-cache"]).toBe("hit");
      expect(again.status).toBe(first.status);
      expect(again.body.equals(first.body)).toBe(true);
      expect(JSON.parse(first.body.toString()).results[0].slug).toBe("lost-pathway-invitation");
      const comparable = (headers: http.IncomingHttpHeaders) => {
        const { date, "x-request-id": _id, "x-search-cache": _cache, "content-length": _length, "transfer-encoding": _chunked, ...rest } = headers;
        return { ...rest, "content-security-policy": String(rest["content-security-policy"]).replace(/'nonce-[^']+'/, "'nonce-…'") };
      };
      expect(comparable(again.headers)).toEqual(comparable(first.headers));
      expect(again.headers["content-encoding"]).toBe(acceptEncoding ? (acceptEncoding.includes("br") ? "br" : "gzip") : undefined);
      expect(again.headers["content-security-policy"]).not.toBe(first.headers["content-security-policy"]);
    },
  );
});
