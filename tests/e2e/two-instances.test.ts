// Two app instances on one PostgreSQL database, as behind a load balancer: a session made on one
// works on the other, rate limits count across both, and each outbox message goes out over SMTP
// exactly once although both deliver, and the maintenance job that both run on a schedule runs on
// one of them at a time. The learner and the editor are the test's own (the factories).
import { randomUUID } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { RETENTION_LOCK } from "~/modules/maintenance";
import { freePort, startServer, stopServer } from "../support/e2e-global-setup";
import { preparePrivateDatabase } from "../support/private-server";
import { startTestSmtp, type TestSmtp } from "../support/smtp";

const sharedUrl = inject("databaseUrl");

describe.runIf(sharedUrl)("two instances on one PostgreSQL", () => {
  let databaseUrl = "";
  let people: { password: string; learner: { id: string; name: string; email: string }; editor: { email: string } };
  let dropDatabase = async () => {};
  let smtp: TestSmtp | null = null;
  let servers: ChildProcess[] = [];
  let bases: string[] = [];
  /** Each server's "maintenance: …" log lines, in order. */
  const maintenanceLogs: string[][] = [];

  beforeAll(async () => {
    const prepared = await preparePrivateDatabase("instances", async () => {
      const { createLearner, TEST_PASSWORD } = await import("../support/factories");
      return { password: TEST_PASSWORD, learner: await createLearner({ name: "Dev Patel" }), editor: await createLearner({ name: "Priya Natarajan", roles: ["editor"] }) };
    });
    databaseUrl = prepared.env.DATABASE_URL!;
    people = prepared.world;
    dropDatabase = prepared.drop;
    smtp = await startTestSmtp();
    const smtpUrl = smtp.url;
    const ports = [await freePort(), await freePort()];
    // One after the other, on the migrated database. Both run the maintenance job every second (it
    // only removes what is long past its time).
    for (const port of ports) {
      const env = { ...prepared.env, SMTP_URL: smtpUrl, DEV_MAILBOX: "open", MAINTENANCE_FIRST_RUN_SECONDS: "1", MAINTENANCE_INTERVAL_SECONDS: "1" };
      const server = await startServer({ port, env });
      const lines: string[] = [];
      // Its reports go to stdout, a failure to stderr: one list, the lines that start with "maintenance".
      for (const stream of [server.stdout!, server.stderr!]) {
        let partial = "";
        stream.on("data", (chunk: Buffer) => {
          const parts = (partial + chunk.toString()).split("\n");
          partial = parts.pop()!;
          lines.push(...parts.filter((line) => line.startsWith("maintenance")));
        });
      }
      servers.push(server);
      maintenanceLogs.push(lines);
    }
    bases = ports.map((port) => `http://localhost:${port}`);
  });

  afterAll(async () => {
    for (const server of servers) await stopServer(server);
    servers = [];
    await smtp?.close();
    await dropDatabase();
  });

  const post = (base: string, path: string, fields: Record<string, string>, cookie?: string) =>
    fetch(`${base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
      body: new URLSearchParams(fields),
    });

  test("a session made on one instance works on the other, and logging out on it ends it on both", async () => {
    const [a, b] = bases;
    const login = await post(a, "/login", { email: people.learner.email, password: people.password, redirectTo: "/my/badges" });
    expect(login.status).toBe(302);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("bd_session="))!.split(";")[0];
    const onB = await fetch(`${b}/my/badges`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(people.learner.name);

    expect((await post(b, "/logout", {}, cookie)).status).toBe(302);
    expect((await fetch(`${a}/my/badges`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(302);
  });

  test("rate limits count across both instances", async () => {
    // Ten reset requests an hour per client, wherever they land.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post(bases[i % 2], "/forgot-password", { email: `nobody-${i}@example.test` })).status);
    expect(statuses.slice(0, 10).every((s) => s < 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  test("each outbox message is delivered exactly once over SMTP while both instances deliver", async () => {
    const recipients = Array.from({ length: 16 }, (_, i) => `guest-${i}-${randomUUID().slice(0, 6)}@example.test`);
    const answers = await Promise.all(
      recipients.map((email, i) =>
        post(bases[i % 2], "/tickets/new", { name: "Guest", email, category: "other", subject: `Two instances ${i}`, description: "Where is my badge?", idempotencyKey: randomUUID() }),
      ),
    );
    expect(answers.map((r) => r.status).every((s) => s === 302)).toBe(true);
    const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await expect
        .poll(async () => Number((await db`select count(*) as n from mail_outbox where status = 'sent' and to_address = any(${recipients})`)[0].n), { timeout: 20_000, interval: 100 })
        .toBe(recipients.length);
    } finally {
      await db.end({ timeout: 5 });
    }
    const delivered = smtp!.received.flatMap((mail) => mail.to).filter((to) => recipients.includes(to));
    expect(delivered.sort()).toEqual([...recipients].sort());
  });

  test("the maintenance job runs on one instance at a time: both skip while another holds the lock, then the old rows go once", async () => {
    const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const sessionId = `expired-${randomUUID()}`;
    const counterKey = `old-${randomUUID()}`;
    const leftOver = async () => ({
      sessions: Number((await db`select count(*) as n from sessions where id = ${sessionId}`)[0].n),
      rateLimits: Number((await db`select count(*) as n from rate_limits where key = ${counterKey}`)[0].n),
    });
    const linesSince = (marks: number[]) => maintenanceLogs.map((lines, i) => lines.slice(marks[i]));
    const removed = (lines: string[]) =>
      lines.filter((line) => line.startsWith("maintenance: removed ")).map((line) => JSON.parse(line.slice("maintenance: removed ".length)) as { sessions: number; rateLimits: number });
    try {
      // The test plays a third instance in the middle of a run: it holds the job's lock (a session
      // lock on its own connection, which the servers' transaction try-locks cannot take).
      await db`select pg_advisory_lock(${RETENTION_LOCK})`;
      await db`insert into sessions (id, account_id, data, expires_at) values (${sessionId}, ${people.learner.id}, '{}', now() - interval '1 hour')`;
      await db`insert into rate_limits (key, window_started_at, count) values (${counterKey}, now() - interval '2 days', 3)`;

      const whileLocked = maintenanceLogs.map((lines) => lines.length);
      await expect
        .poll(() => linesSince(whileLocked).map((lines) => lines.some((line) => line === "maintenance: skipped, another instance holds the lock")), { timeout: 20_000, interval: 100 })
        .toEqual([true, true]);
      expect(await leftOver()).toEqual({ sessions: 1, rateLimits: 1 });
      expect(linesSince(whileLocked).flatMap(removed)).toEqual([]);

      await db`select pg_advisory_unlock(${RETENTION_LOCK})`;
      const afterRelease = maintenanceLogs.map((lines) => lines.length);
      // Each instance has run since (removing or finding nothing), and the old rows are gone.
      const ranSince = () => linesSince(afterRelease).map((lines) => lines.some((line) => line.startsWith("maintenance: removed ") || line === "maintenance: nothing to remove"));
      await expect.poll(ranSince, { timeout: 20_000, interval: 100 }).toEqual([true, true]);
      expect(await leftOver()).toEqual({ sessions: 0, rateLimits: 0 });

      // Removed exactly once, by one run on one instance: the other instance's runs either skipped
      // (the lock was taken) or came after and found nothing.
      const removals = linesSince(afterRelease).map(removed);
      expect(removals.flat().filter((report) => report.sessions > 0 || report.rateLimits > 0)).toEqual([expect.objectContaining({ sessions: 1, rateLimits: 1 })]);
      expect(linesSince(whileLocked).flat().filter((line) => line.startsWith("maintenance failed"))).toEqual([]);
    } finally {
      await db.end({ timeout: 5 });
    }
  });
  test("a publish on one instance reaches the other's article page (through its page cache) and search", async () => {
    const [a, b] = bases;
    const login = await post(a, "/login", { email: people.editor.email, password: people.password, redirectTo: "/editor" });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("bd_session="))!.split(";")[0];
    const slug = `two-instances-${randomUUID().slice(0, 8)}`;
    const article = (word: string, baseRevisionId: string) => ({
      title: "Renewing a badge on two instances",
      summary: "How a publish on one instance reaches readers on every other one.",
      category: "pathways",
      slug,
      tags: "renew",
      body: `The word to look for is ${word}.\n`,
      baseRevisionId,
      intent: "publish",
    });
    const created = await post(a, "/editor/articles/new", article("firstword", ""), cookie);
    expect(created.status).toBe(302);
    const editPath = created.headers.get("location")!;
    // Seen once on B, so B's page cache holds the first text.
    await expect.poll(async () => (await fetch(`${b}/faq/pathways/${slug}`)).text(), { timeout: 5_000 }).toContain("firstword");

    const editPage = await (await fetch(`${a}${editPath}`, { headers: { Cookie: cookie } })).text();
    const baseRevisionId = /name="baseRevisionId" value="([0-9a-f-]{36})"/.exec(editPage)![1];
    // B keeps its answer to this search (nothing found yet) in memory: the publish must replace it.
    for (let i = 0; i < 2; i++) expect((await (await fetch(`${b}/api/search?q=secondword`)).json()).results).toEqual([]);
    expect((await post(a, editPath, article("secondword", baseRevisionId), cookie)).status).toBe(302);
    await expect.poll(async () => (await fetch(`${b}/faq/pathways/${slug}`)).text(), { timeout: 5_000, interval: 50 }).toContain("secondword");
    await expect.poll(async () => JSON.stringify(await (await fetch(`${b}/api/search?q=secondword`)).json()), { timeout: 5_000, interval: 50 }).toContain(slug);
  });
});
