// Anonymous article page throughput and p99 latency under 50 connections (autocannon), beside a
// bare node:http server sending the very same bytes from memory; the two alternate in one run and
// the ratio compares their mean throughput. Also, for context, the same page with the cache
// bypassed (a visitor cookie: the full Remix render with its database reads).
//
//   flock /tmp/badgedesk-e2e.lock npx tsx bench/kb-article-page.ts
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
import { measure, startBareServer } from "./yardstick";


const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ARTICLE = "/faq/backpack-and-badges/badge-not-showing-in-backpack";

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
  const appUrl = `http://127.0.0.1:${appPort}${ARTICLE}`;
  const first = await fetch(appUrl);
  const body = Buffer.from(await first.arrayBuffer());
  console.log(`Article page: ${body.length} bytes (${first.headers.get("x-page-cache")}, then served from the page cache)`);

  const yardstick = await startBareServer({ dataDir, fileName: "page.html", body, contentType: "text/html; charset=utf-8" });
  bare = yardstick.process;
  const barePort = yardstick.port;
  const bareUrl = `http://127.0.0.1:${barePort}${ARTICLE}`;

  const run = (url: string, duration: number, headers: Record<string, string> = {}) => measure(url, { connections, duration, headers });
  // Warm both up (JIT, connection pools) before measuring.
  await run(bareUrl, 2);
  await run(appUrl, 2);
  const measured: { bare: { rps: number; p99: number; p50: number }[]; app: { rps: number; p99: number; p50: number }[] } = { bare: [], app: [] };
  for (let round = 1; round <= rounds; round++) {
    const b = await run(bareUrl, seconds);
    const a = await run(appUrl, seconds);
    measured.bare.push(b);
    measured.app.push(a);
    console.log(`round ${round}: bare ${b.rps.toFixed(0)} req/s p99 ${b.p99} ms | app ${a.rps.toFixed(0)} req/s p99 ${a.p99} ms (${((a.rps / b.rps) * 100).toFixed(1)} %)`);
  }
  // One run past the cache, for context: what every request would cost without it.
  const bypass = await run(appUrl, seconds, { Cookie: "bd_visitor=none" });

  const mean = (list: { rps: number }[]) => list.reduce((sum, r) => sum + r.rps, 0) / list.length;
  const worst = (list: { p99: number }[]) => Math.max(...list.map((r) => r.p99));
  console.log(`\n${connections} connections, ${rounds} × ${seconds} s each, alternating; ${body.length}-byte page, no compression (like the bare server)`);
  console.log(`  bare node:http   ${mean(measured.bare).toFixed(0)} req/s   p99 ≤ ${worst(measured.bare)} ms`);
  console.log(`  app, anonymous   ${mean(measured.app).toFixed(0)} req/s   p99 ≤ ${worst(measured.app)} ms   → ${((mean(measured.app) / mean(measured.bare)) * 100).toFixed(1)} % of bare`);
  console.log(`  app, cache bypassed (visitor cookie)   ${bypass.rps.toFixed(0)} req/s   p50 ${bypass.p50} ms   p99 ${bypass.p99} ms`);
} finally {
  bare?.kill();
  await stopServer(app);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
