// GET /api/search (search as you type, the busiest endpoint) under 50 connections (autocannon),
// beside a bare node:http server sending the very same bytes from memory; the two alternate in one
// run. Reports each round's ratio, their median, and the app's p99. Searches are logged off the
// request path (reading-log.server.ts), so the request itself only reads the index in memory.
//
//   flock /tmp/badgedesk-e2e.lock npx tsx bench/kb-api-search.ts
//
// Settings (environment): BENCH_SECONDS (10 per run), BENCH_ROUNDS (3 alternations),
// BENCH_CONNECTIONS (50), BENCH_DATABASE_URL (PostgreSQL instead of a fresh embedded PGlite).
// Under the e2e lock because starting the server may rebuild build/.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDatabase } from "../tests/support/databases";
import { freePort, startServer, stopServer } from "../tests/support/e2e-global-setup";
import { cpuSeconds } from "./process-cpu";
import { measure, startBareServer } from "./yardstick";


const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SEARCH = `/api/search?q=${encodeURIComponent(process.env.BENCH_QUERY ?? "badge not in my backpack")}&limit=8`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kb-bench-"));
let env: Record<string, string | undefined> = { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: dataDir };
if (process.env.BENCH_DATABASE_URL) {
  await ensureDatabase(process.env.BENCH_DATABASE_URL, process.env.BENCH_DATABASE_URL, { fresh: true });
  env = { DATABASE_URL: process.env.BENCH_DATABASE_URL };
}

const appPort = await freePort();
const app = await startServer({ port: appPort, env });
let bare: ChildProcess | null = null;
try {
  const appUrl = `http://127.0.0.1:${appPort}${SEARCH}`;
  const first = await fetch(appUrl);
  const body = Buffer.from(await first.arrayBuffer());
  console.log(`Search answer: ${body.length} bytes of JSON`);

  const yardstick = await startBareServer({ dataDir, fileName: "search.json", body, contentType: "application/json; charset=utf-8" });
  bare = yardstick.process;
  const barePort = yardstick.port;
  const bareUrl = `http://127.0.0.1:${barePort}${SEARCH}`;

  const run = (url: string, duration: number, headers: Record<string, string> = {}) => measure(url, { connections, duration, headers });
  // Warm both up (JIT, connection pools) before measuring.
  await run(bareUrl, 2);
  await run(appUrl, 2);
  const measured: { bare: { rps: number; p99: number; p50: number }[]; app: { rps: number; p99: number; p50: number }[] } = { bare: [], app: [] };
  // CPU time per request of each server process (from /proc): what a request costs, whatever else runs.
  const cpuPerRequest: { bare: number[]; app: number[] } = { bare: [], app: [] };
  const timed = async (url: string, pid: number) => {
    const before = cpuSeconds(pid);
    const result = await run(url, seconds);
    return { ...result, cpuMs: ((cpuSeconds(pid) - before) * 1000) / (result.rps * seconds) };
  };
  for (let round = 1; round <= rounds; round++) {
    const b = await timed(bareUrl, bare.pid!);
    const a = await timed(appUrl, app!.pid!);
    measured.bare.push(b);
    measured.app.push(a);
    cpuPerRequest.bare.push(b.cpuMs);
    cpuPerRequest.app.push(a.cpuMs);
    console.log(`round ${round}: bare ${b.rps.toFixed(0)} req/s p99 ${b.p99} ms, CPU ${(b.cpuMs * 1000).toFixed(0)} µs/req | app ${a.rps.toFixed(0)} req/s p99 ${a.p99} ms, CPU ${(a.cpuMs * 1000).toFixed(0)} µs/req (${((a.rps / b.rps) * 100).toFixed(1)} %)`);
  }
  const medianOf = (list: number[]) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];
  const mean = (list: { rps: number }[]) => list.reduce((sum, r) => sum + r.rps, 0) / list.length;
  const worst = (list: { p99: number }[]) => Math.max(...list.map((r) => r.p99));
  const ratios = measured.app.map((a, i) => a.rps / measured.bare[i].rps).sort((x, y) => x - y);
  const medianRatio = ratios[Math.floor(ratios.length / 2)];
  const appP99s = measured.app.map((a) => a.p99).sort((x, y) => x - y);
  console.log(`\n${connections} connections, ${rounds} × ${seconds} s each, alternating; ${body.length}-byte answer, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`  bare node:http    ${mean(measured.bare).toFixed(0)} req/s   p99 ≤ ${worst(measured.bare)} ms`);
  console.log(`  app /api/search   ${mean(measured.app).toFixed(0)} req/s   p99 median ${appP99s[Math.floor(appP99s.length / 2)]} ms, worst ${worst(measured.app)} ms`);
  console.log(`  median ratio of the rounds: ${(medianRatio * 100).toFixed(1)} % of bare`);
  const appCpu = medianOf(cpuPerRequest.app);
  console.log(`  CPU per request (median): bare ${(medianOf(cpuPerRequest.bare) * 1000).toFixed(0)} µs, app ${(appCpu * 1000).toFixed(0)} µs → one idle core serves about ${(1000 / appCpu).toFixed(0)} app requests/s`);
} finally {
  bare?.kill();
  await stopServer(app);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
