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
import { stopServer } from "../tests/support/e2e-global-setup";
import { alternate, measure, meanRps, startBareServer, startBenchApp, worstP99 } from "./yardstick";


const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ARTICLE = "/faq/backpack-and-badges/badge-not-showing-in-backpack";

const { app, port: appPort, dataDir } = await startBenchApp();
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

  const measured = await alternate({ bareUrl, appUrl, rounds, seconds, connections });
  // One run past the cache, for context: what every request would cost without it.
  const bypass = await measure(appUrl, { connections, duration: seconds, headers: { Cookie: "bd_visitor=none" } });

  console.log(`\n${connections} connections, ${rounds} × ${seconds} s each, alternating; ${body.length}-byte page, no compression (like the bare server)`);
  console.log(`  bare node:http   ${meanRps(measured.bare).toFixed(0)} req/s   p99 ≤ ${worstP99(measured.bare)} ms`);
  console.log(`  app, anonymous   ${meanRps(measured.app).toFixed(0)} req/s   p99 ≤ ${worstP99(measured.app)} ms   → ${((meanRps(measured.app) / meanRps(measured.bare)) * 100).toFixed(1)} % of bare`);
  console.log(`  app, cache bypassed (visitor cookie)   ${bypass.rps.toFixed(0)} req/s   p50 ${bypass.p50} ms   p99 ${bypass.p99} ms`);
} finally {
  bare?.kill();
  await stopServer(app);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
