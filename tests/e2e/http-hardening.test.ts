// The server as a prober meets it (issue 10, weaknesses 6, 7, 13, 16, 17): malformed input gets a
// readable 4xx, never a 5xx; personal responses are never stored by a cache; every 429 says when
// to come back; forged posts are refused; a production start without a real SESSION_SECRET fails.
// The signed-in probes use this file's own learner and admin (the factories, on a private server).
import { spawn } from "node:child_process";
import http from "node:http";
import { describe, expect, test } from "vitest";
import { baseUrl } from "../support/browser";
import { usePrivateServer } from "../support/private-server";

const server = usePrivateServer("http_hardening", async () => {
  const { createLearner, TEST_PASSWORD } = await import("../support/factories");
  return { password: TEST_PASSWORD, learner: await createLearner(), admin: await createLearner({ name: "Test Admin", roles: ["admin"] }) };
});

interface Probe {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request (fetch refuses TRACE and rewrites some headers). */
function probe(method: string, path: string, { headers = {}, body, base = baseUrl }: { headers?: Record<string, string>; body?: string; base?: string } = {}): Promise<Probe> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { ...(body !== undefined ? { "Content-Length": String(Buffer.byteLength(body)) } : {}), ...headers } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

const FORM = "application/x-www-form-urlencoded";
const own = (base = baseUrl) => ({ Origin: new URL(base).origin });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A session on the private server for one of its people. */
async function logIn(who: "learner" | "admin"): Promise<string> {
  const { email } = server.world()[who];
  const base = server.baseURL();
  const response = await probe("POST", "/login", { base, headers: { ...own(base), "Content-Type": FORM }, body: form({ email, password: server.world().password, redirectTo: "/" }) });
  const cookie = [response.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("bd_session="));
  if (!cookie) throw new Error(`no session for ${email}: ${response.status}`);
  return cookie.split(";")[0];
}

describe("malformed input: the right 4xx with a readable page, never a 5xx", () => {
  const cases: [string, () => Promise<Probe>, number][] = [
    ["GET /faq/%FF", () => probe("GET", "/faq/%FF"), 400],
    ["GET /tickets/%", () => probe("GET", "/tickets/%"), 400],
    ["GET /faq/%E0%A4%A", () => probe("GET", "/faq/%E0%A4%A"), 400],
    ["POST /signup with no content type", () => probe("POST", "/signup", { headers: own(), body: "name=x" }), 415],
    ["POST /signup as text/plain", () => probe("POST", "/signup", { headers: { ...own(), "Content-Type": "text/plain" }, body: "name=x" }), 415],
    ["POST /login as JSON", () => probe("POST", "/login", { headers: { ...own(), "Content-Type": "application/json" }, body: '{"email":"a@b.c"}' }), 415],
    ["POST /tickets/new as JSON", () => probe("POST", "/tickets/new", { headers: { ...own(), "Content-Type": "application/json" }, body: "{}" }), 415],
    ["TRACE /", () => probe("TRACE", "/"), 405],
    ["DELETE /tickets/new", () => probe("DELETE", "/tickets/new", { headers: own() }), 405],
    ["PUT /signup", () => probe("PUT", "/signup", { headers: { ...own(), "Content-Type": FORM }, body: "" }), 405],
    ["PATCH /login", () => probe("PATCH", "/login", { headers: { ...own(), "Content-Type": FORM }, body: "" }), 405],
    ["NUL in the sign-up name", () => probe("POST", "/signup", { headers: { ...own(), "Content-Type": FORM }, body: form({ name: "Ana\u0000", email: "nul@example.test", password: "a long enough password" }) }), 400],
    ["NUL in the login address", () => probe("POST", "/login", { headers: { ...own(), "Content-Type": FORM }, body: form({ email: "ana\u0000@example.org", password: "x" }) }), 400],
    ["NUL in a guest ticket", () => probe("POST", "/tickets/new", { headers: { ...own(), "Content-Type": FORM }, body: form({ email: "guest@example.test", name: "G", category: "other", subject: "Hi\u0000", description: "text\u0000" }) }), 400],
    ["NUL in forgot-password", () => probe("POST", "/forgot-password", { headers: { ...own(), "Content-Type": FORM }, body: form({ email: "a\u0000@b.c" }) }), 400],
    ["NUL in a verification token", () => probe("POST", "/verify-email", { headers: { ...own(), "Content-Type": FORM }, body: form({ token: "\u0000".repeat(20) }) }), 400],
    ["NUL in a reset token", () => probe("POST", "/reset-password?token=x", { headers: { ...own(), "Content-Type": FORM }, body: form({ token: "abc\u0000defghijkl", password: "a long enough password", confirm: "a long enough password" }) }), 400],
    ["a post whose Host isn't its Origin's", () => probe("POST", "/forgot-password", { headers: { ...own(), Host: "evil.example", "Content-Type": FORM }, body: form({ email: "a@b.example" }) }), 400],
    ["a post whose X-Forwarded-Host isn't its Origin's", () => probe("POST", "/forgot-password", { headers: { ...own(), "X-Forwarded-Host": "evil.example", "Content-Type": FORM }, body: form({ email: "a@b.example" }) }), 400],
    ["an empty suggestion report", () => probe("POST", "/tickets/suggestions", { headers: { ...own(), "Content-Type": FORM }, body: "" }), 400],
    ["GET /tickets/guest/not-a-token", () => probe("GET", "/tickets/guest/not-a-token"), 404],
    ["GET /tickets/guest/%00", () => probe("GET", "/tickets/guest/%00"), 404],
    ["GET /faq/%2e%2e/x", () => probe("GET", "/faq/%2e%2e/x"), 404],
  ];

  test.each(cases)("%s", async (_name, run, expected) => {
    const response = await run();
    expect(response.status).toBe(expected);
    expect(response.body).toMatch(/<h1[^>]*>[^<]+<\/h1>|\S/);
    expect(response.body).not.toMatch(/at \w+ \(|postgres|drizzle|TypeError|SyntaxError/i);
    if (expected === 405) expect(response.headers.allow).toBe("GET, HEAD, POST");
  });

  test.each([
    ["GET /search?q=%FF%FE", () => probe("GET", "/search?q=%FF%FE")],
    ["GET /api/search?q=%00", () => probe("GET", "/api/search?q=%00")],
    ["GET /reset-password?token=%00", () => probe("GET", "/reset-password?token=%00")],
    ["GET /verify-email?token=%E3%80%80", () => probe("GET", "/verify-email?token=%E3%80%80")],
    ["GET /tickets/new?category=%00&email=%FF", () => probe("GET", "/tickets/new?category=%00&email=%FF")],
  ])("%s is answered without a 5xx", async (_name, run) => {
    expect((await run()).status).toBeLessThan(500);
  });

  test("an admin granting a role to an account that doesn't exist gets a 404, not a 500", async () => {
    const cookie = await logIn("admin");
    const response = await probe("POST", "/admin/roles", {
      base: server.baseURL(),
      headers: { ...own(server.baseURL()), "Content-Type": FORM, Cookie: cookie },
      body: form({ intent: "grant", accountId: "00000000-0000-4000-8000-000000000000", role: "agent" }),
    });
    expect(response.status).toBe(404);
    expect(response.body).toContain("That account no longer exists.");
  });
});

describe("caching", () => {
  test("every page that depends on a session or a token is private, no-store; an anonymous public page may be cached", async () => {
    const learner = await logIn("learner");
    const admin = await logIn("admin");
    for (const [path, cookie] of [
      ["/my/badges", learner],
      ["/tickets/new", learner],
      ["/tickets", learner],
      ["/faq", learner],
      ["/", learner],
      ["/admin/roles", admin],
      ["/dev/mailbox", admin],
      ["/reset-password?token=abcdefghijklmnop", undefined],
      ["/verify-email?token=abcdefghijklmnop", undefined],
      ["/login", undefined],
    ] as const) {
      const response = await probe("GET", path, { base: server.baseURL(), headers: cookie ? { Cookie: cookie } : {} });
      expect([path, response.headers["cache-control"]]).toEqual([path, "private, no-store"]);
    }
    const faq = await probe("GET", "/faq", { base: server.baseURL() });
    expect(faq.headers["cache-control"]).toMatch(/^public/);
  });
});

describe("forged posts", () => {
  test.each([
    ["no Origin and no Sec-Fetch-Site", {}],
    ["only a foreign Referer", { Referer: "https://evil.example/page" }],
    ["a foreign Origin", { Origin: "https://evil.example" }],
    ["the app's host over another scheme", { Origin: new URL(baseUrl).origin.replace("http:", "https:") }],
    ["the app's host on another port", { Origin: "http://localhost:1" }],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
  ])("a post with %s is refused", async (_name, headers) => {
    const response = await probe("POST", "/forgot-password", { headers: { "Content-Type": FORM, ...headers }, body: form({ email: "someone@example.test" }) });
    expect(response.status).toBe(403);
  });

  test("a browser's same-origin post without Origin is accepted", async () => {
    const response = await probe("POST", "/forgot-password", { headers: { "Content-Type": FORM, "Sec-Fetch-Site": "same-origin" }, body: form({ email: "nobody-here@example.test" }) });
    expect(response.status).toBeLessThan(400);
  });
});

describe("start-up", () => {
  test.each([
    ["NODE_ENV=production", { NODE_ENV: "production", SESSION_SECRET: undefined }],
    ["an https APP_URL", { APP_URL: "https://help.badgedesk.example", SESSION_SECRET: undefined }],
    ["a short secret in production", { NODE_ENV: "production", SESSION_SECRET: "short" }],
  ])("with %s and no real SESSION_SECRET the server refuses to start, and says why", async (_name, env) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
      env: { ...process.env, PORT: "1", DATABASE_URL: undefined, BADGEDESK_DATA_DIR: "memory://", ...env } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/will not start: SESSION_SECRET/);
  });
});
