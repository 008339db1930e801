// What a visitor sees while the database is away, and that the app comes back by itself; and that
// SIGTERM lets a request in flight finish. Needs a real PostgreSQL server (CI has one).
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { ChildProcess } from "node:child_process";
import { freePort, startServer, stopServer } from "../support/e2e-global-setup";
import { TcpProxy } from "../support/tcp-proxy";

const databaseUrl = inject("databaseUrl");

describe.runIf(databaseUrl)("database outage and graceful shutdown", () => {
  let proxy: TcpProxy;
  let server: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const target = new URL(databaseUrl);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) }, await freePort());
    await proxy.open();
    const viaProxy = new URL(databaseUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startServer({ port, env: { DATABASE_URL: viaProxy.toString(), SEED_DEMO: "false" } });
  });

  afterAll(async () => {
    proxy.release();
    await stopServer(server);
    await proxy.cut();
  });

  test("pages answer 503 with a clear message while the database is down, and recover by themselves", async () => {
    expect((await fetch(`${base}/dev/mailbox`)).status).toBe(200);

    await proxy.cut();
    await expect
      .poll(async () => (await fetch(`${base}/dev/mailbox`)).status, { timeout: 20_000, interval: 250 })
      .toBe(503);
    const page = await fetch(`${base}/dev/mailbox`);
    const html = await page.text();
    expect(html).toContain("temporarily unavailable");
    expect(html).not.toMatch(/ECONNREFUSED|postgres|at \w+ \(/i);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ database: "down" });

    await proxy.open();
    await expect
      .poll(async () => (await fetch(`${base}/dev/mailbox`)).status, { timeout: 20_000, interval: 250 })
      .toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  test("with a network that drops every byte, each page answers within 5 s (cached public pages from memory) and the app recovers", async () => {
    const timed = async (path: string, cookie?: string) => {
      const started = Date.now();
      const response = await fetch(`${base}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
      await response.arrayBuffer();
      return { status: response.status, ms: Date.now() - started, retryAfter: response.headers.get("retry-after") };
    };
    // Fill the public page cache while all is well, and sign a learner up (which signs them in).
    expect((await timed("/faq")).status).toBe(200);
    expect((await timed("/")).status).toBe(200);
    const signup = await fetch(`${base}/signup`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
      body: new URLSearchParams({ name: "Outage Learner", email: `outage-${Date.now()}@example.test`, password: "a quiet harbour at dawn" }),
    });
    const session = signup.headers.getSetCookie().find((c) => c.startsWith("bd_session="))!.split(";")[0];
    expect((await timed("/my/badges", session)).status).toBe(200);

    proxy.hold();
    for (const path of ["/dev/mailbox", "/search?q=badge", "/api/search?q=badge", "/tickets/new", "/faq", "/"]) {
      const answer = await timed(path);
      expect(answer.ms, path).toBeLessThan(5_000);
      if (path === "/faq" || path === "/") expect(answer.status, path).toBe(200);
      else if (answer.status !== 200) expect([answer.status, answer.retryAfter], path).toEqual([503, "30"]);
    }
    expect((await timed("/dev/mailbox")).status).toBe(503);
    // A signed-in page (the prober's /my/badges hung for over 20 s).
    const personal = await timed("/my/badges", session);
    expect(personal.ms).toBeLessThan(5_000);
    expect([personal.status, personal.retryAfter]).toEqual([503, "30"]);

    proxy.release();
    await expect.poll(async () => (await timed("/dev/mailbox")).status, { timeout: 20_000, interval: 250 }).toBe(200);
    expect((await timed("/search?q=badge")).status).toBe(200);
  });

  test("SIGTERM lets a request in flight finish before the server exits", async () => {
    proxy.hold();
    const inFlight = fetch(`${base}/dev/mailbox`);
    // Wait until the request is really waiting on the database, then ask the server to stop.
    await expect.poll(() => proxy.heldChunks).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    proxy.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Development mailbox");
    expect(await exited).toBe(0);
  });
});
