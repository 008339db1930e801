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
import { stopServer } from "../tests/support/e2e-global-setup";
import { alternate, measure, meanRps, medianCpuMs, startBareServer, startBenchApp, worstP99 } from "./yardstick";


const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SEARCH = `/api/search?q=${encodeURIComponent(process.env.BENCH_QUERY ?? "badge not in my backpack")}&limit=8`;

const { app, port: appPort, dataDir } = await startBenchApp();
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

  const measured = await alternate({ bareUrl, appUrl, rounds, seconds, connections, pids: { bare: bare.pid!, app: app.pid! } });
  const ratios = measured.app.map((a, i) => a.rps / measured.bare[i].rps).sort((x, y) => x - y);
  const medianRatio = ratios[Math.floor(ratios.length / 2)];
  const appP99s = measured.app.map((a) => a.p99).sort((x, y) => x - y);
  console.log(`\n${connections} connections, ${rounds} × ${seconds} s each, alternating; ${body.length}-byte answer, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`  bare node:http    ${meanRps(measured.bare).toFixed(0)} req/s   p99 ≤ ${worstP99(measured.bare)} ms`);
  console.log(`  app /api/search   ${meanRps(measured.app).toFixed(0)} req/s   p99 median ${appP99s[Math.floor(appP99s.length / 2)]} ms, worst ${worstP99(measured.app)} ms`);
  console.log(`  median ratio of the rounds: ${(medianRatio * 100).toFixed(1)} % of bare`);
  const appCpu = medianCpuMs(measured.app);
  console.log(`  CPU per request (median): bare ${(medianCpuMs(measured.bare) * 1000).toFixed(0)} µs, app ${(appCpu * 1000).toFixed(0)} µs → one idle core serves about ${(1000 / appCpu).toFixed(0)} app requests/s`);
} finally {
  bare?.kill();
  await stopServer(app);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
