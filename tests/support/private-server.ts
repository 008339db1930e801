// A browser test's own production server on a fresh, empty database (its own PGlite folder, or its
// own PostgreSQL database beside the e2e one), with the people and tickets the test makes through
// the factories before the server starts: PGlite's folder belongs to one process at a time, and
// nothing then depends on the demo seed or on what other tests did. Everything is thrown away after.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { ensureDatabase, siblingDatabaseUrl } from "./databases";
import { freePort, startServer, stopServer } from "./e2e-global-setup";

export interface PrivateServerOptions {
  /** More environment for the server (an https APP_URL, a secret…). */
  env?: Record<string, string | undefined>;
  /** Embedded PGlite even when the tests run on PostgreSQL. */
  pglite?: boolean;
}

export interface PrivateServer<World> {
  baseURL: string;
  world: World;
  stop(): Promise<void>;
}

/**
 * Points this process at a fresh database named after `name`, migrates it and runs `makeWorld`
 * (which creates rows with the factories). Returns the environment a server needs to use it
 * (without the demo seed), and `drop()` to throw it away.
 */
export async function preparePrivateDatabase<World>(
  name: string,
  makeWorld: () => Promise<World>,
  { pglite = false }: { pglite?: boolean } = {},
): Promise<{ env: Record<string, string | undefined>; world: World; drop: () => Promise<void> }> {
  const cleanups: (() => Promise<void>)[] = [];
  const drop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };
  try {
    const env = await freshDatabase(name, cleanups, pglite);
    const { closeConnection, migrateDatabase } = await import("#db/client.server");
    await migrateDatabase();
    const world = await makeWorld();
    await closeConnection();
    return { env: { ...env, SEED_DEMO: "false" }, world, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** A fresh database made as `preparePrivateDatabase` makes it, and the production server on it. */
export async function startPrivateServer<World>(
  name: string,
  makeWorld: () => Promise<World>,
  { env: extraEnv = {}, pglite = false }: PrivateServerOptions = {},
): Promise<PrivateServer<World>> {
  const { env, world, drop } = await preparePrivateDatabase(name, makeWorld, { pglite });
  let server: ChildProcess | null = null;
  const stop = async () => {
    await stopServer(server);
    await drop();
  };
  try {
    const port = await freePort();
    server = await startServer({ port, env: { ...env, ...extraEnv } });
    return { baseURL: `http://localhost:${port}`, world, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The same for a whole test file: the server starts before its first test (when `enabled`, e.g.
 * only where Chromium is installed) and stops after its last. `baseURL()` and `world()` read it.
 */
export function usePrivateServer<World>(
  name: string,
  makeWorld: () => Promise<World>,
  { enabled = true, ...options }: PrivateServerOptions & { enabled?: boolean } = {},
): { baseURL: () => string; world: () => World } {
  let server: PrivateServer<World> | null = null;
  beforeAll(async () => {
    if (enabled) server = await startPrivateServer(name, makeWorld, options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  const started = () => {
    if (!server) throw new Error(`The private server "${name}" is not running`);
    return server;
  };
  return { baseURL: () => started().baseURL, world: () => started().world };
}

async function freshDatabase(name: string, cleanups: (() => Promise<void>)[], pglite: boolean): Promise<Record<string, string | undefined>> {
  const sharedUrl = pglite ? "" : inject("databaseUrl");
  if (sharedUrl) {
    const url = siblingDatabaseUrl(sharedUrl, `_${name}`);
    await ensureDatabase(sharedUrl, url, { fresh: true });
    cleanups.push(async () => {
      const admin = postgres(sharedUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
      await admin.end({ timeout: 5 });
    });
    process.env.DATABASE_URL = url;
    return { DATABASE_URL: url };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `badgedesk-${name}-e2e-`));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  delete process.env.DATABASE_URL;
  process.env.BADGEDESK_DATA_DIR = dataDir;
  return { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: dataDir };
}
