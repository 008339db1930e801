// WEB_CONCURRENCY: several server processes on one port. On PostgreSQL the server runs that many
// workers, answers pages, and SIGTERM stops them all with exit code 0. On embedded PGlite (one
// process per data folder) it runs one process.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { ensureDatabase, siblingDatabaseUrl } from "../support/databases";
import { freePort, startServer } from "../support/e2e-global-setup";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "badgedesk-processes-e2e-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** The pids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return Number(fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

test("WEB_CONCURRENCY=2: two server processes on PostgreSQL (one on PGlite) answer pages, and SIGTERM stops them all", async () => {
  const baseUrl = process.env.DATABASE_URL;
  const databaseUrl = baseUrl ? siblingDatabaseUrl(baseUrl, "_workers") : undefined;
  if (baseUrl && databaseUrl) await ensureDatabase(baseUrl, databaseUrl, { fresh: true });
  const port = await freePort();
  const server = await startServer({ port, env: { WEB_CONCURRENCY: "2", DATABASE_URL: databaseUrl, BADGEDESK_DATA_DIR: dataDir, SEED_DEMO: "false" } });
  const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));

  // The second worker starts once the first listens: wait for it.
  const expected = databaseUrl ? 2 : 0;
  for (let tries = 0; childrenOf(server.pid!).length < expected && tries < 300; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(childrenOf(server.pid!)).toHaveLength(expected);

  // Fresh connections, so both workers get some (the primary hands connections out in turn).
  for (let i = 0; i < 6; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/login`, { headers: { Host: `localhost:${port}`, Connection: "close" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Log in");
  }

  const workers = childrenOf(server.pid!);
  server.kill("SIGTERM");
  expect(await exited).toBe(0);
  for (const pid of workers) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
});
