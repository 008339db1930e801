// The HTTP layer as any client sees it: headers, refusals, health and friendly error pages.
import { describe, expect, test } from "vitest";
import { baseUrl } from "../support/browser";
import { rawGet } from "../support/raw-get";

describe("security and health", () => {
  test("every page carries the security headers", async () => {
    const response = await fetch(`${baseUrl}/login`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  test.each([
    ["nothing", undefined, undefined],
    ["gzip", "gzip", "gzip"],
    ["deflate only", "deflate", "deflate"],
    ["what Chromium sends", "gzip, deflate, br, zstd", "br"],
    ["br refused", "br;q=0, gzip", "gzip"],
  ])("a rendered page is compressed as the client asked (%s), and decodes to the page", async (_name, acceptEncoding, expected) => {
    const page = await rawGet("/login", acceptEncoding);
    expect(page.status).toBe(200);
    expect(page.headers["content-encoding"]).toBe(expected);
    expect(page.headers.vary).toMatch(/Accept-Encoding/);
    if (page.headers["content-length"]) expect(Number(page.headers["content-length"])).toBe(page.raw.length);
    const html = page.body.toString("utf8");
    expect(html).toContain("<title>Log in · badgedesk</title>");
    expect(html).toContain("</html>");
  });

  test("what is not a whole page is compressed as the client asked too: a style sheet, and a page's data for the browser's router", async () => {
    const html = (await rawGet("/login")).body.toString("utf8");
    const styleSheet = html.match(/href="(\/assets\/[^"]+\.css)"/)![1];
    for (const path of [styleSheet, "/faq.data"]) {
      for (const [acceptEncoding, expected] of [["gzip, deflate, br, zstd", "br"], ["gzip", "gzip"], ["deflate", "deflate"], [undefined, "none"]] as const) {
        const answer = await rawGet(path, acceptEncoding);
        expect([path, acceptEncoding, answer.status, answer.headers["content-encoding"] ?? "none"]).toEqual([path, acceptEncoding, 200, expected]);
        expect(answer.headers.vary).toMatch(/Accept-Encoding/);
        expect(answer.body.length).toBeGreaterThan(1024);
      }
    }
  });

  test("a form post from another site is refused", async () => {
    const response = await fetch(`${baseUrl}/login`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c&password=x",
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/another site/);
  });

  test("an oversized body is refused before it is read", async () => {
    const response = await fetch(`${baseUrl}/signup`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
      body: `name=${"x".repeat(1_100_000)}`,
    });
    expect(response.status).toBe(413);
  });

  test("/healthz reports the database", async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "up" });
  });

  test("an unknown page is a friendly 404 with a way back", async () => {
    const response = await fetch(`${baseUrl}/no/such/page`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("We couldn&#x27;t find that page");
    expect(html).toContain('href="/"');
  });

  test("a staff page answers 403 to a learner and sends a visitor to log in", async () => {
    const anonymous = await fetch(`${baseUrl}/admin/roles`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login?redirectTo=%2Fadmin%2Froles");

    // A learner of our own: signed up and logged in over HTTP, as a browser would.
    const email = `site-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const form = { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl };
    const credentials = `email=${encodeURIComponent(email)}&password=${encodeURIComponent("a quiet harbour at dawn")}`;
    const signup = await fetch(`${baseUrl}/signup`, { method: "POST", headers: form, body: `name=Site+Learner&${credentials}`, redirect: "manual" });
    expect(signup.status).toBe(302);
    const login = await fetch(`${baseUrl}/login`, { method: "POST", headers: form, body: credentials, redirect: "manual" });
    expect(login.status).toBe(302);
    const session = login.headers.getSetCookie().find((cookie) => cookie.startsWith("bd_session="))!.split(";")[0];
    const learner = await fetch(`${baseUrl}/admin/roles`, { headers: { Cookie: session }, redirect: "manual" });
    expect(learner.status).toBe(403);
    expect(await learner.text()).not.toContain("<h1>Roles</h1>");
  });

  test("bad input gets a message, never a stack trace or SQL", async () => {
    const response = await fetch(`${baseUrl}/verify-email?token=x`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
      body: "token=%00%27%3B%20drop%20table%20accounts",
    });
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(html).toContain("This verification link is not valid");
    expect(html).not.toMatch(/at \w+ \(|postgres|select |drizzle/i);
  });
});
