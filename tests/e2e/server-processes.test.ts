// WEB_CONCURRENCY: several server processes on one port. On PostgreSQL the server runs that many
// workers, answers pages, and SIGTERM stops them all with exit code 0. On embedded PGlite (one
// process per data folder) it runs one process. /healthz says "ok" only once every process listens,
// so connections opened then are spread over all of them.
import fs from "node:fs";
import http from "node:http";
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

/** How many established TCP connections to `port` each process holds (its socket fds, matched in /proc/net/tcp). */
function connectionsHeldBy(pids: number[], port: number): number[] {
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local address "0100007F:1F90", state 01 = established, inode in field 9.
      if (fields.length > 9 && fields[1].endsWith(`:${portHex}`) && fields[3] === "01") inodes.add(fields[9]);
    }
  }
  return pids.map(
    (pid) =>
      fs.readdirSync(`/proc/${pid}/fd`).filter((fd) => {
        try {
          const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
          return inodes.has(target.match(/^socket:\[(\d+)\]$/)?.[1] ?? "");
        } catch {
          return false;
        }
      }).length,
  );
}

test("WEB_CONCURRENCY=2: two server processes on PostgreSQL (one on PGlite) answer pages, and SIGTERM stops them all", async () => {
  const baseUrl = process.env.DATABASE_URL;
  const databaseUrl = baseUrl ? siblingDatabaseUrl(baseUrl, "_workers") : undefined;
  if (baseUrl && databaseUrl) await ensureDatabase(baseUrl, databaseUrl, { fresh: true });
  const port = await freePort();
  const server = await startServer({ port, env: { WEB_CONCURRENCY: "2", DATABASE_URL: databaseUrl, BADGEDESK_DATA_DIR: dataDir, SEED_DEMO: "false" } });
  const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));

  // /healthz answered "ok" (startServer waits for it): by then every worker runs.
  const expected = databaseUrl ? 2 : 0;
  expect(childrenOf(server.pid!)).toHaveLength(expected);

  // Keep-alive connections opened at once, as a proxy's pool would: both workers hold some.
  if (databaseUrl) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const get = () =>
      new Promise<number>((resolve, reject) =>
        http.get({ host: "127.0.0.1", port, path: "/login", agent, headers: { Host: `localhost:${port}` } }, (response) => response.resume().on("end", () => resolve(response.statusCode ?? 0))).on("error", reject),
      );
    expect(await Promise.all(Array.from({ length: 8 }, get))).toEqual(Array(8).fill(200));
    const held = connectionsHeldBy(childrenOf(server.pid!), port);
    agent.destroy();
    // (and startServer's own health check may keep one open)
    expect(held.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(8);
    expect(Math.min(...held)).toBeGreaterThan(0);
  }

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
