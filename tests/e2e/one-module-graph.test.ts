// The server takes the app's modules from the built bundle only: a module of app/ or db/ loaded a
// second time from source would hold a second database pool, health state or content version.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { freePort, startServer, stopServer } from "../support/e2e-global-setup";

const databaseUrl = inject("databaseUrl");
let server: ChildProcess;
let base: string;
let scratch: string;
const moduleLog = () => path.join(scratch, "modules.log");

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "badgedesk-graph-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // Its own PGlite folder when there is no PostgreSQL: PGlite has no lock between processes.
  const database = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: path.join(scratch, "pglite") };
  const preload = path.resolve("tests/support/record-modules.mjs");
  server = await startServer({
    port,
    env: { ...database, SEED_DEMO: "false", MODULE_LOG: moduleLog(), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${preload}`.trim() },
  });
});

afterAll(async () => {
  await stopServer(server);
  fs.rmSync(scratch, { recursive: true, force: true });
});

test("the running server holds one database pool and one page cache: no module of the app is loaded twice", async () => {
  // The health check (server/app.ts) and the pages (the bundle) both reach the database.
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const first = await fetch(`${base}/faq`);
  expect(first.status).toBe(200);
  const second = await fetch(`${base}/faq`);
  expect(second.headers.get("x-page-cache")).toBe("hit");

  const loaded = fs.readFileSync(moduleLog(), "utf8").split("\n").filter(Boolean);
  const root = path.resolve(".");
  const fromRepository = loaded.filter((url) => url.startsWith(`file://${root}/`)).map((url) => url.slice(`file://${root}/`.length));
  // Source modules loaded through tsx are recorded too: server/ is, app/ and db/ are not.
  expect(fromRepository).toEqual(expect.arrayContaining(["build/server/index.js", "server/app.ts", "server/public-page-cache.ts"]));
  expect(fromRepository.filter((file) => /^(app|db)\//.test(file))).toEqual([]);
});
