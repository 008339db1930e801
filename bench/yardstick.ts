// The pieces shared by benchmarks that alternate the app with a bare node:http server sending the
// very same bytes from memory (the yardstick does the same work as the app's answer, never more).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { ensureDatabase } from "../tests/support/databases";
import { cpuSeconds } from "./process-cpu";
import { freePort, startServer } from "../tests/support/e2e-global-setup";

// autocannon ships no types; these are the fields used here.
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (options: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;

export interface Round {
  /** CPU time of the server per request, ms (when its pid was given). */
  cpuMs?: number;
  rps: number;
  p99: number;
  p50: number;
}

/** One autocannon run; any non-2xx answer or error fails the benchmark rather than flattering it. */
export async function measure(url: string, { connections, duration, headers = {} }: { connections: number; duration: number; headers?: Record<string, string> }): Promise<Round> {
  const result = await autocannon({ url, connections, duration, headers });
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50 };
}

/** The bare server: node:http in its own process, these bytes and this content type from memory, nothing else. */
export async function startBareServer({ dataDir, fileName, body, contentType }: { dataDir: string; fileName: string; body: Buffer; contentType: string }): Promise<{ process: ChildProcess; port: number }> {
  const bodyFile = path.join(dataDir, fileName);
  fs.writeFileSync(bodyFile, body);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const http = require("node:http"); const body = require("node:fs").readFileSync(${JSON.stringify(bodyFile)});
       http.createServer((req, res) => { res.writeHead(200, { "Content-Type": ${JSON.stringify(contentType)}, "Content-Length": body.length }); res.end(body); })
         .listen(${port}, "127.0.0.1", () => console.log("ready"));`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise((resolve) => child.stdout!.once("data", resolve));
  return { process: child, port };
}

/**
 * The production server on a fresh database: a new embedded PGlite folder (`dataDir`, which also
 * holds the bare server's file), or BENCH_DATABASE_URL recreated.
 */
export async function startBenchApp(): Promise<{ app: ChildProcess; port: number; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kb-bench-"));
  let env: Record<string, string | undefined> = { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: dataDir };
  if (process.env.BENCH_DATABASE_URL) {
    await ensureDatabase(process.env.BENCH_DATABASE_URL, process.env.BENCH_DATABASE_URL, { fresh: true });
    env = { DATABASE_URL: process.env.BENCH_DATABASE_URL };
  }
  const port = await freePort();
  return { app: await startServer({ port, env }), port, dataDir };
}

/**
 * Both warmed up (JIT, connection pools), then `rounds` alternations of bare and app, each round
 * printed. With the servers' `pids`, each round also says the CPU time per request of each server
 * (from /proc): what a request costs whatever else the machine runs.
 */
export async function alternate({ bareUrl, appUrl, rounds, seconds, connections, pids }: { bareUrl: string; appUrl: string; rounds: number; seconds: number; connections: number; pids?: { bare: number; app: number } }) {
  await measure(bareUrl, { connections, duration: 2 });
  await measure(appUrl, { connections, duration: 2 });
  const measured: { bare: Round[]; app: Round[] } = { bare: [], app: [] };
  const timed = async (url: string, pid: number | undefined): Promise<Round> => {
    const before = pid ? cpuSeconds(pid) : 0;
    const result = await measure(url, { connections, duration: seconds });
    return pid ? { ...result, cpuMs: ((cpuSeconds(pid) - before) * 1000) / (result.rps * seconds) } : result;
  };
  const cpu = (r: Round) => (r.cpuMs === undefined ? "" : `, CPU ${(r.cpuMs * 1000).toFixed(0)} µs/req`);
  for (let round = 1; round <= rounds; round++) {
    const b = await timed(bareUrl, pids?.bare);
    const a = await timed(appUrl, pids?.app);
    measured.bare.push(b);
    measured.app.push(a);
    console.log(`round ${round}: bare ${b.rps.toFixed(0)} req/s p99 ${b.p99} ms${cpu(b)} | app ${a.rps.toFixed(0)} req/s p99 ${a.p99} ms${cpu(a)} (${((a.rps / b.rps) * 100).toFixed(1)} %)`);
  }
  return measured;
}

/** The median CPU time per request of these rounds, in ms (NaN without CPU figures). */
export const medianCpuMs = (list: Round[]) => {
  const values = list.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs])).sort((x, y) => x - y);
  return values.length ? values[Math.floor(values.length / 2)] : NaN;
};

export const meanRps = (list: Round[]) => list.reduce((sum, r) => sum + r.rps, 0) / list.length;
export const worstP99 = (list: Round[]) => Math.max(...list.map((r) => r.p99));
