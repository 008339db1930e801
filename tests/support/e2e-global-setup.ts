// Builds the app if needed and starts the production server once for all browser tests, on its
// own database: a fresh <name>_e2e PostgreSQL database when DATABASE_URL is set, a fresh PGlite
// folder otherwise (PGlite has no lock between processes, so never share the dev folder).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildIfStale } from "../../server/build";
import { chromiumPath } from "./chromium";
import { ensureDatabase, siblingDatabaseUrl } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    chromium: string | null;
  }
}

let server: ChildProcess | null = null;
let dataDir: string | null = null;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the production server of this checkout (or of another one, `cwd`, for side-by-side benchmarks). */
export async function startServer({ port, env, cwd, nodeArgs = [] }: { port: number; env: Record<string, string | undefined>; cwd?: string; nodeArgs?: string[] }): Promise<ChildProcess> {
  // nodeArgs: e.g. a benchmark's --cpu-prof (Node refuses it in NODE_OPTIONS).
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server/start.ts"], {
    cwd,
    // One server process unless a caller asks for more: the suites start several servers on a
    // 2-core machine, and tests/e2e/server-processes.test.ts tries several processes on purpose.
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", APP_URL: `http://localhost:${port}`, DEV_MAILBOX: "open", WEB_CONCURRENCY: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited early:\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) {
        // A server that dies during the tests says why, instead of every later test failing blind.
        child.once("exit", (code, signal) => {
          if (code !== 0 && signal !== "SIGTERM" && signal !== "SIGKILL") console.error(`The server on port ${port} exited (${code ?? signal}):\n${output.slice(-4000)}`);
        });
        return child;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`The server did not answer /healthz within 2 minutes:\n${output}`);
}

export async function stopServer(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
  clearTimeout(timer);
  if (child.exitCode === null) child.kill("SIGKILL");
  child.stdout?.destroy();
  child.stderr?.destroy();
}

export async function e2eDatabaseEnv(): Promise<{ env: Record<string, string | undefined>; databaseUrl: string }> {
  if (process.env.DATABASE_URL) {
    const url = siblingDatabaseUrl(process.env.DATABASE_URL, "_e2e");
    await ensureDatabase(process.env.DATABASE_URL, url, { fresh: true });
    return { env: { DATABASE_URL: url }, databaseUrl: url };
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "badgedesk-e2e-"));
  return { env: { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: dataDir }, databaseUrl: "" };
}

export default async function setup(project: TestProject) {
  const chromium = chromiumPath();
  if (!chromium) {
    if (process.env.CI) throw new Error("Chromium is required in CI: apt-get install -y chromium");
    console.warn("\n  Browser tests are SKIPPED: Chromium is not installed. Install it with: sudo apt-get install -y chromium\n");
  }
  if (!buildIfStale()) throw new Error("The production build failed.");
  const { env, databaseUrl } = await e2eDatabaseEnv();
  const port = await freePort();
  // Without the demo seed: every test makes the people and tickets it needs (tests/support/factories.ts).
  server = await startServer({ port, env: { ...env, SEED_DEMO: "false" } });
  project.provide("baseUrl", `http://localhost:${port}`);
  project.provide("databaseUrl", databaseUrl);
  project.provide("chromium", chromium);
  return async () => {
    await stopServer(server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
