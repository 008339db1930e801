// Several server processes on one port (node:cluster): on PostgreSQL one per core by default (at
// most 4), or as many as WEB_CONCURRENCY says. One Node process renders on one core; on a machine
// with more, the others would idle while pages queue. Each worker is a whole instance, as if
// behind a proxy (README, "Several instances behind a proxy"): the app keeps no state of its own.
// The primary only starts them, passes SIGTERM on and waits.
import cluster, { type Worker } from "node:cluster";
import os from "node:os";

/** Set in each worker's environment: its number, from 1. Worker 1 alone seeds and prints the banner. */
export const WORKER_NUMBER_VARIABLE = "BADGEDESK_WORKER";

/** Processes by default on PostgreSQL: one per core, at most this many (each opens its own pool). */
export const DEFAULT_MAX_PROCESSES = 4;

/**
 * How many server processes to run. On PostgreSQL, unless WEB_CONCURRENCY says otherwise: one
 * per core, at most DEFAULT_MAX_PROCESSES. One process renders on one core: on this 2-core
 * machine, with PostgreSQL beside it, two served 1.4–1.6× as many agent-desk pages a second as
 * one (BENCHMARKS.md, "Two processes that share the work"), and every pause of a lone process
 * holds up every request queued behind it. The cap keeps a many-core machine from opening more
 * connections (processes × DATABASE_POOL_SIZE) than PostgreSQL allows; "auto" is one per core
 * without the cap. PGlite is one process per data folder, so it always gets one. A value that is
 * neither a positive whole number nor "auto" is a mistake to report, not to guess around.
 */
export function serverProcessCount(
  value: string | undefined,
  { cores, embeddedDatabase }: { cores: number; embeddedDatabase: boolean },
): { count: number; problem: string | null; note: string | null } {
  const text = (value ?? "").trim().toLowerCase();
  if (text === "") return { count: embeddedDatabase ? 1 : Math.max(1, Math.min(cores, DEFAULT_MAX_PROCESSES)), problem: null, note: null };
  const wanted = text === "auto" ? cores : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(wanted) || wanted < 1) return { count: 1, note: null, problem: `WEB_CONCURRENCY must be a whole number of processes (1 or more) or "auto", not "${value}".` };
  if (wanted > 1 && embeddedDatabase) return { count: 1, problem: null, note: "WEB_CONCURRENCY is ignored on embedded PGlite (one process per data folder): one server process." };
  return { count: wanted, problem: null, note: null };
}

/** True in the process that should start the workers instead of serving. */
export function shouldStartWorkers(count: number): boolean {
  return count > 1 && cluster.isPrimary;
}

/**
 * The primary: starts worker 1 (it builds if needed, migrates and seeds), then the others once it
 * listens (they skip the seed). SIGTERM/SIGINT are passed to every worker, each of which drains
 * its own requests; the primary exits when all have. A worker that exits on its own (a crash, or
 * a failed start) stops the rest and the primary exits with 1, so a supervisor restarts the
 * whole service rather than running it short of processes unnoticed.
 */
export function startWorkers(count: number, env: Record<string, string>): void {
  let stopping = false;
  let exitCode = 0;
  const fork = (number: number, extra: Record<string, string> = {}): Worker => cluster.fork({ ...env, [WORKER_NUMBER_VARIABLE]: String(number), ...extra });

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };

  const first = fork(1);
  first.once("listening", () => {
    for (let number = 2; number <= count; number++) fork(number, { SEED_DEMO: "false" });
  });
  let listening = 0;
  cluster.on("listening", () => {
    if (++listening < count) return;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send(ALL_LISTENING);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (!stopping) {
      console.error(`A server process (pid ${worker.process.pid}) exited (${signal ?? code}); stopping the others.`);
      stopAll(1);
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  });
  process.on("SIGTERM", () => stopAll(0));
  process.on("SIGINT", () => stopAll(0));
}

/** What the primary tells every worker once all of them listen. */
const ALL_LISTENING = "badgedesk:all-listening";

/**
 * Resolves once every server process listens: at once in a lone process, and in a worker when the
 * primary says so. Until then the health check answers "starting". The primary hands out
 * connections in turn only among the workers that listen, so a proxy (or a benchmark) that opened
 * its keep-alive connections as soon as the first one answered would have them all on that one
 * process for good, and the others would idle. Call it before listening: the word may come at once.
 */
export function allProcessesListening(): Promise<void> {
  if (!cluster.isWorker) return Promise.resolve();
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== ALL_LISTENING) return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
  });
}

export function isFirstWorker(): boolean {
  return cluster.isPrimary || process.env[WORKER_NUMBER_VARIABLE] === "1";
}

export const coreCount = () => os.availableParallelism();
