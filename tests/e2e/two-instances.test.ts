// Two app instances on one PostgreSQL database, as behind a load balancer: a session made on one
// works on the other, rate limits count across both, and each outbox message goes out over SMTP
// exactly once although both deliver. (Maintenance taking turns by advisory lock is shown in
// tests/integration/maintenance.test.ts with two connections.)
import { randomUUID } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { ensureDatabase, siblingDatabaseUrl } from "../support/databases";
import { freePort, startServer, stopServer } from "../support/e2e-global-setup";

const sharedUrl = inject("databaseUrl");

describe.runIf(sharedUrl)("two instances on one PostgreSQL", () => {
  const databaseUrl = sharedUrl ? siblingDatabaseUrl(sharedUrl, "_instances") : "";
  const received: string[] = [];
  let smtp: SMTPServer;
  let servers: ChildProcess[] = [];
  let bases: string[] = [];

  beforeAll(async () => {
    await ensureDatabase(sharedUrl, databaseUrl, { fresh: true });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, callback) {
        stream.resume();
        stream.on("end", () => {
          received.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    const ports = [await freePort(), await freePort()];
    // One after the other: the first migrates and seeds, the second finds it done.
    for (const port of ports) {
      servers.push(await startServer({ port, env: { DATABASE_URL: databaseUrl, SMTP_URL: smtpUrl, DEV_MAILBOX: "open", MAINTENANCE: "off" } }));
    }
    bases = ports.map((port) => `http://localhost:${port}`);
  });

  afterAll(async () => {
    for (const server of servers) await stopServer(server);
    servers = [];
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    const admin = postgres(sharedUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${new URL(databaseUrl).pathname.slice(1)}" with (force)`);
    await admin.end({ timeout: 5 });
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
    const login = await post(a, "/login", { email: "dev.patel@example.net", password: "badgedesk-demo", redirectTo: "/my/badges" });
    expect(login.status).toBe(302);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("bd_session="))!.split(";")[0];
    const onB = await fetch(`${b}/my/badges`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain("Dev Patel");

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
    const delivered = received.filter((to) => recipients.includes(to));
    expect(delivered.sort()).toEqual([...recipients].sort());
  });
});
