// Graceful stop under load (issue 10, weakness 15): 50 ticket posts in flight when SIGTERM comes.
// Every request is answered (success or 503, never a reset connection) and every ticket the
// server said it took is in the database afterwards.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, expect, test } from "vitest";
import { freePort, startServer } from "../support/e2e-global-setup";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "badgedesk-shutdown-e2e-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface Outcome {
  subject: string;
  status: number | null;
  error: string | null;
}

test("SIGTERM with 50 ticket posts in flight: each is answered, and each one accepted is stored", async () => {
  const port = await freePort();
  // Its own PGlite folder, read once the server is gone; one client sends everything, so the
  // per-client ticket limit is raised for this server.
  const server = await startServer({
    port,
    env: { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: dataDir, SEED_DEMO: "false", TICKET_LIMIT_PER_CLIENT: "1000", TICKET_LIMIT_PER_ADDRESS: "1000" },
  });
  const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
  const origin = `http://localhost:${port}`;

  const connected: Promise<void>[] = [];
  const outcomes = Array.from({ length: 50 }, (_, i) => {
    const subject = `Shutdown probe ${i} ${randomUUID().slice(0, 8)}`;
    const body = new URLSearchParams({
      name: "Probe",
      email: `probe-${i}@example.test`,
      category: "other",
      subject,
      description: "Sent while the server is asked to stop.",
      idempotencyKey: randomUUID(),
    }).toString();
    return new Promise<Outcome>((resolve) => {
      const request = http.request(
        { host: "127.0.0.1", port, method: "POST", path: "/tickets/new", agent: false, headers: { Host: `localhost:${port}`, Origin: origin, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on("end", () => resolve({ subject, status: response.statusCode ?? null, error: null }));
        },
      );
      connected.push(new Promise((ok) => request.once("socket", (socket) => socket.once("connect", () => ok()))));
      request.on("error", (error) => resolve({ subject, status: null, error: (error as NodeJS.ErrnoException).code ?? error.message }));
      request.end(body);
    });
  });

  // Every post's connection is open; one more request answered after them means the server has
  // taken them all in. Then the stop.
  await Promise.all(connected);
  await fetch(`${origin}/healthz`);
  server.kill("SIGTERM");

  const results = await Promise.all(outcomes);
  expect(await exited).toBe(0);
  expect(results.filter((r) => r.error !== null)).toEqual([]);
  // A guest ticket answers with a redirect to "received" (success) or 503 (not taken).
  for (const r of results) expect([r.subject, r.status === 503 || (r.status !== null && r.status >= 200 && r.status < 400)]).toEqual([r.subject, true]);

  const database = new PGlite(dataDir);
  try {
    const stored = new Set((await database.query<{ subject: string }>("select subject from tickets")).rows.map((row) => row.subject));
    const accepted = results.filter((r) => r.status !== 503);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.filter((r) => !stored.has(r.subject)).map((r) => r.subject)).toEqual([]);
  } finally {
    await database.close();
  }
});
