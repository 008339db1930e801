// The agent desk under load: the production server on PostgreSQL with the generated platform
// (1 M accounts, 5 M awards, 100,000 tickets with 400,000 messages), 16 signed-in agents each
// keeping one request in flight. Measured one after the other, each for BENCH_SECONDS after a
// warm-up: My tickets as a yardstick, the queue's first page, a filtered view, a ticket page, a
// public reply; then, in the
// same run and with as many callers, the bare account lookup (awardStatesForAccount, in process).
//
//   npx tsx scripts/generate-platform.ts --database bd_platform     # once (~1 M accounts, tickets)
//   flock /tmp/badgedesk-e2e.lock npx tsx bench/agent-desk.ts [--database bd_platform] [--seconds 10] [--agents 16]
//
// Side by side: --compare <another checkout, built> starts that checkout's server too, and each
// line is measured in --rounds alternating rounds (before, after; then after, before; …) on the
// same database, so both sides see the same machine. The table gives each side's median and the
// median of the after ÷ before ratios of the rounds.
//
// --processes <n> adds a side: this checkout's server with WEB_CONCURRENCY=n (its CPU per request
// counts all its processes). One Node process renders on one core; this shows what the others add.
//
// --port <n> puts the sides on ports n, n+1, … (one's own range on a shared machine); --only <words>
// measures only the lines whose label contains one of the comma-separated words ("queue,ticket page");
// --profile <dir> runs this checkout's server under `node --cpu-prof`, writing a .cpuprofile to
// <dir> when it stops (open it in Chrome's DevTools, or summarise it with bench/profile-summary.ts);
// --node-args "<flags>" gives this checkout's server more Node/V8 flags (with --compare pointing at
// this same checkout, it measures just the flags).
//
// --rate <n>: instead of each agent keeping a request in flight (the most the server can do, where
// the wait is set by how many are queued: 16 ÷ throughput), the agents together offer n requests a
// second, each on its own schedule (n ÷ agents a second each, spread evenly), still one request in
// flight per agent. A request's time runs from when it was due, not from when it was sent, so a
// server that falls behind shows it in the p99 and in fewer requests/s than offered (no coordinated
// omission, as in wrk2). This is the p99 an agent sees while the desk serves n requests a second.
//
// --slow-log <file>: each measured request over 50 ms, with when it was due (epoch ms), to set beside
// what stopped the server then (bench/pause-monitor.mjs, preloaded with --node-args).
//
// --warmup <s> (default 5, was 2): unmeasured seconds before each round, for a server just started
// to compile its hot code and fill its caches; the measured part starts after it (see measure()).
//
// --accept-encoding "<header>": by default what Chromium sends ("gzip, deflate, br, zstd"), so each
// page is compressed as for a real browser; "" asks for none (the figures before 5 Dec 2026 did).
//
// Each side's server gets the Node flags of its checkout's `npm start` (package.json), as in production.
//
// Under the e2e lock because starting the server may rebuild build/.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { freePort, startServer, stopServer } from "../tests/support/e2e-global-setup";
import { BENCH_AGENTS, benchAgentId, platformAddress, platformDatabaseUrl } from "../scripts/generate-platform";
import { databaseCpuSeconds, serverCpuSeconds } from "./process-cpu";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "5" },
    agents: { type: "string", default: "16" },
    database: { type: "string", default: "bd_platform" },
    server: { type: "string", default: "postgres://postgres@127.0.0.1:5432" },
    compare: { type: "string" },
    rounds: { type: "string" },
    processes: { type: "string" },
    port: { type: "string" },
    only: { type: "string" },
    profile: { type: "string" },
    "node-args": { type: "string" },
    rate: { type: "string" },
    "slow-log": { type: "string" },
    // What Chromium sends: the server compresses each page as it would for an agent's browser.
    "accept-encoding": { type: "string", default: "gzip, deflate, br, zstd" },
  },
});
// --port <n>: the sides listen on n, n+1, … (a range of one's own on a shared machine) instead of free ports.
const firstPort = values.port ? Number(values.port) : null;
// --only <words>[,<words>…]: measure only the lines whose label contains one of them (e.g. "queue,ticket page").
const onlyLines = values.only?.split(",") ?? null;
const wanted = (label: string) => !onlyLines || onlyLines.some((words) => label.includes(words));
// --profile <dir>: this checkout's server runs under `node --cpu-prof` and writes its profile there on stop.
const profileDir = values.profile ?? null;
// --node-args "<flags>": more flags for this checkout's server process (e.g. a V8 heap setting to try).
const extraNodeArgs = values["node-args"]?.split(" ").filter(Boolean) ?? [];
// --rate <n>: the agents together offer n requests a second (open loop) instead of one each in flight.
const offeredRate = values.rate ? Number(values.rate) : null;
if (offeredRate !== null && !(offeredRate > 0)) throw new Error("--rate takes a number of requests a second, above 0");
// --slow-log <file>: every measured request over SLOW_MS, one line each: when it was due (epoch ms), its time, its line.
const SLOW_MS = 50;
const slowLog = values["slow-log"] ? fs.createWriteStream(values["slow-log"]) : null;
const compareWith = values.compare ?? null;
const rounds = Number(values.rounds ?? (compareWith ? 3 : 1));
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const agents = Math.min(Number(values.agents), BENCH_AGENTS);
const databaseUrl = platformDatabaseUrl(values.server, values.database);

// Sessions are made in this process, with the server's own code: the same secret and table.
// The pool size is this process's (the bare lookup's callers); the servers get their own default,
// as in production (it used to leak into them, so every side ran with one connection per agent).
process.env.DATABASE_URL = databaseUrl;
process.env.DATABASE_POOL_SIZE = String(agents);
const { createLoginSession } = await import("~/modules/auth");
const { awardStatesForAccount } = await import("~/modules/accounts");
const { closeConnection } = await import("#db/client.server");

const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
// Only the generator's tickets (numbers 1 … n, see ticketId): a server once started on this
// database adds the demo's, whose ids no number gives, and asking for them would count as errors.
const [{ tickets, addresses }] = await sql<{ tickets: number; addresses: number }[]>`
  select (select count(*)::int from tickets where id in (select md5('ticket' || n)::uuid from generate_series(1, (select count(*) from tickets)) n)) as tickets,
         (select count(*)::int from account_emails where email ilike 'learner%') as addresses`;
if (tickets < 1000) throw new Error(`Only ${tickets} tickets in ${databaseUrl}: run scripts/generate-platform.ts first`);

/** Ticket number t of the generator, as its id (md5('ticket' || t)::uuid). */
function ticketId(t: number): string {
  const h = createHash("md5").update(`ticket${t}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
const randomInt = (n: number) => Math.floor(Math.random() * n);

interface Figures {
  label: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  /** CPU per request in the app server / in PostgreSQL: what the figures would be on an idle machine. */
  serverCpuMs: number | null;
  databaseCpuMs: number | null;
  /** The bench's own CPU per request (its HTTP client), on the same cores. */
  clientCpuMs: number | null;
}


function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * `agents` callers, each with one request in flight (with a rate: each on its schedule): first
 * for the warm-up, unmeasured, then for `seconds`. The measured part starts once every warm-up
 * request has been answered, on a schedule of its own: with a rate, requests still queued from the
 * warm-up (a server just started compiles its code and fills its caches) would otherwise be late
 * into the measured part. Seen: a 1.8 s backlog from the first seconds of a new server, carried
 * through a whole round.
 */
async function measure(label: string, call: (worker: number) => Promise<boolean>, serverPid: number | null, rate = offeredRate): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  // With --rate, agent w's k-th request is due at start + (k + w / agents) × agents / rate.
  const interval = rate ? (agents * 1000) / rate : 0;
  const phase = (phaseSeconds: number, measured: boolean) => {
    const stopAt = Date.now() + phaseSeconds * 1000;
    const scheduleStart = performance.now();
    return Promise.all(
      Array.from({ length: agents }, async (_, worker) => {
        for (let k = 0; Date.now() < stopAt; k++) {
          let started = performance.now();
          if (rate) {
            const due = scheduleStart + (k + worker / agents) * interval;
            if (due > started) await new Promise((resolve) => setTimeout(resolve, due - started));
            started = due;
          }
          const ok = await call(worker).catch(() => false);
          const ms = performance.now() - started;
          if (!measured) continue;
          if (slowLog && ms > SLOW_MS) slowLog.write(`${(performance.timeOrigin + started).toFixed(1)} ${ms.toFixed(1)} ${label}\n`);
          if (ok) latencies.push(ms);
          else errors++;
        }
      }),
    );
  };
  await phase(warmupSeconds, false);
  const cpu = { server: serverPid ? serverCpuSeconds(serverPid) : 0, database: databaseCpuSeconds(values.database), client: process.cpuUsage() };
  await phase(seconds, true);
  const perRequest = (spent: number) => (latencies.length ? (spent * 1000) / latencies.length : null);
  const serverCpuMs = serverPid ? perRequest(serverCpuSeconds(serverPid) - cpu.server) : null;
  const databaseCpuMs = perRequest(databaseCpuSeconds(values.database) - cpu.database);
  const clientUsage = process.cpuUsage(cpu.client);
  const clientCpuMs = serverPid ? perRequest((clientUsage.user + clientUsage.system) / 1e6) : null;
  latencies.sort((a, b) => a - b);
  return { label, requests: latencies.length, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, errors, serverCpuMs, databaseCpuMs, clientCpuMs };
}

interface Side {
  name: string;
  port: number;
  server: ChildProcess;
}
const sides: Side[] = [];
// One server per side, all on the same database; without --compare, only this checkout's. Every
// side runs its checkout's default number of processes (WEB_CONCURRENCY unset, as `npm start` runs
// it: on PostgreSQL one per core since 5 Dec 2026), and the --processes side as many as it says.
const processes = values.processes ? Number(values.processes) : null;
const sideList: [name: string, cwd: string, webConcurrency: string | undefined][] = compareWith ? [["before", compareWith, undefined], ["after", process.cwd(), undefined]] : [["this checkout", process.cwd(), undefined]];
if (processes) sideList.push([`after, WEB_CONCURRENCY=${processes}`, process.cwd(), String(processes)]);
for (const [index, [name, cwd, webConcurrency]] of sideList.entries()) {
  const port = firstPort ? firstPort + index : await freePort();
  const ours = name !== "before";
  const nodeArgs = [...startFlags(cwd), ...(ours ? [...extraNodeArgs, ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [])] : [])];
  sides.push({ name, port, server: await startServer({ port, cwd, nodeArgs, env: { DATABASE_URL: databaseUrl, BADGEDESK_DATA_DIR: undefined, SEED_DEMO: "false", MAINTENANCE: "off", WEB_CONCURRENCY: webConcurrency, DATABASE_POOL_SIZE: undefined } }) });
}
/** The Node flags `npm start` gives the server in that checkout (its package.json), so each side runs as in production. */
function startFlags(checkout: string): string[] {
  const start: string = JSON.parse(fs.readFileSync(path.join(checkout, "package.json"), "utf8")).scripts?.start ?? "";
  return start.split(/\s+/).filter((word) => word.startsWith("--"));
}
// Each agent has its own keep-alive connection to each side, as each agent's browser would. (One
// pool for all reused the most recently freed connection first, so at a given rate a few
// connections carried most requests, and the process they happened to land on did most of the work.)
const browsers = Array.from({ length: agents }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));

function request(side: Side, worker: number, method: "GET" | "POST", path: string, cookie: string, body?: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent: browsers[worker],
        host: "127.0.0.1",
        port: side.port,
        method,
        path,
        headers: {
          Cookie: cookie,
          ...(values["accept-encoding"] ? { "Accept-Encoding": values["accept-encoding"] } : {}),
          Host: `localhost:${side.port}`,
          ...(body ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: `http://localhost:${side.port}` } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, location: response.headers.location }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Each line's figures, per side, one entry per round. */
const results: { label: string; bySide: Map<string, Figures[]> }[] = [];
const loadBefore = os.loadavg();
// The bench's own CPU (its HTTP client, on the same two cores as the server and PostgreSQL).
const clientCpuAtStart = process.cpuUsage();

/** Measures one line on every side, `rounds` times, the sides' order alternating between rounds. */
async function line(label: string, call: (side: Side, round: number) => (worker: number) => Promise<boolean>) {
  if (!wanted(label)) return;
  const bySide = new Map<string, Figures[]>(sides.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) bySide.get(side.name)!.push(await measure(label, call(side, round), side.server.pid ?? null));
  }
  results.push({ label, bySide });
}

try {
  const cookies: string[] = [];
  for (let n = 1; n <= agents; n++) {
    const login = await createLoginSession({ request: new Request("http://localhost/login"), accountId: benchAgentId(n), redirectTo: "/" });
    cookies.push(login.headers.getSetCookie().find((c) => c.startsWith("bd_session="))!.split(";")[0]);
  }
  const page = (path: () => string) => (side: Side) => async (worker: number) => (await request(side, worker, "GET", path(), cookies[worker])).status === 200;

  // A yardstick in the same run: an existing signed-in page of the same weight class, so a busy
  // machine shows as a slow yardstick rather than as a slow agent desk.
  await line("yardstick: My tickets (/tickets), an existing signed-in page", page(() => "/tickets"));
  await line("queue, first page (/agent: All open, longest wait first, with the view counts)", page(() => "/agent"));
  await line("filtered view (/agent?view=open&category=revoked_badge&sort=activity)", page(() => "/agent?view=open&category=revoked_badge&sort=activity"));
  await line("ticket page (/agent/tickets/<random of 100,000>)", page(() => `/agent/tickets/${ticketId(1 + randomInt(tickets))}`));

  // Each reply goes to a ticket of its own, in the state the agent saw when they opened it (read
  // before the run, not timed): every send passes the collision guard and writes a reply, its
  // status change when there is one, an audit row and an outbox mail. Every side and round has
  // tickets of its own.
  const replyLine = "public reply (POST /agent/tickets/<id>, Send)";
  if (wanted(replyLine)) {
  const measurements = sides.length * rounds;
  // As many tickets per agent as the generated ones allow (at most 1,500): an agent who used up
  // theirs would send to a ticket again, with the state of before its first reply, and the
  // collision guard would rightly refuse it (counted as an error). 100,000 tickets give each
  // agent 1,041 per round with three sides and two rounds: about 1,600 replies a second for 10 s.
  const perWorker = Math.min(1500, Math.floor(tickets / (measurements * agents)));
  const numbers = Array.from({ length: measurements * agents * perWorker }, (_, i) => 1 + ((i * 7919) % tickets));
  if (numbers.length > tickets) throw new Error(`Not enough tickets for ${measurements} reply measurements`);
  const states = new Map<string, string>();
  for (let i = 0; i < numbers.length; i += 5000) {
    const ids = numbers.slice(i, i + 5000).map(ticketId);
    const rows = await sql<{ id: string; state: string }[]>`
      select t.id, (select count(*) from ticket_messages m where m.ticket_id = t.id) || '.' ||
                   (select coalesce(max(e.id), 0) from ticket_events e where e.ticket_id = t.id) || '.' || coalesce(t.assignee_id::text, '-') as state
      from tickets t where t.id = any(${ids}::uuid[])`;
    for (const row of rows) states.set(row.id, row.state);
  }
  let measurement = 0;
  await line(replyLine, (side) => {
    const base = measurement++ * agents * perWorker;
    const next = Array.from({ length: agents }, () => 0);
    return async (worker) => {
      const id = ticketId(numbers[base + worker * perWorker + (next[worker]++ % perWorker)]);
      const body = new URLSearchParams({
        intent: "send",
        visibility: "public",
        body: "Thanks for waiting. We've sent a verification link to your school address; the badge shows once you open it.",
        idempotencyKey: randomUUID(),
        state: states.get(id)!,
      }).toString();
      const response = await request(side, worker, "POST", `/agent/tickets/${id}`, cookies[worker], body);
      return response.status === 302 && response.location === `/agent/tickets/${id}`;
    };
  });
  }
  for (const side of sides) await stopServer(side.server);
  if (wanted("bare account lookup")) {
  const lookup = await measure(`bare account lookup (awardStatesForAccount in process, ${agents} callers, random address of ${addresses.toLocaleString("en")})`, async () => {
    const result = await awardStatesForAccount({ email: platformAddress(1 + randomInt(addresses)).toUpperCase() });
    return result !== null;
  }, null, null); // always closed loop: the most the lookup can do, for comparison
  results.push({ label: lookup.label, bySide: new Map([["in process", [lookup]]]) });
  }
} finally {
  for (const side of sides) await stopServer(side.server);
  for (const browser of browsers) browser.destroy();
  await sql.end();
  await closeConnection();
}

const loadAfter = os.loadavg();
const clientCpu = process.cpuUsage(clientCpuAtStart);
const ms = (n: number) => `${n.toFixed(1)} ms`;
const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const cpuMs = (n: number | null) => (n === null ? "–" : `${n.toFixed(2)} ms`);
console.log(`\n${agents} concurrent agents${offeredRate ? `, offering ${offeredRate} requests/s together (open loop; times from when each request was due)` : ", each keeping one request in flight"}, ${seconds} s each after ${warmupSeconds} s warm-up, ${rounds} round(s) per side; ${tickets.toLocaleString("en")} tickets; ${os.cpus().length} cores`);
console.log(`load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}; the bench's own CPU ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} s in all\n`);
console.log("| what | side | requests/s per round (median) | p99 per round (median) | errors | CPU per request, median: app server / PostgreSQL / bench client |\n|---|---|---|---|---:|---|");
for (const { label, bySide } of results) {
  for (const [name, figures] of bySide) {
    const perSecond = figures.map((f) => f.perSecond);
    const p99 = figures.map((f) => f.p99);
    const serverCpu = figures.map((f) => f.serverCpuMs).filter((n): n is number => n !== null);
    const databaseCpu = figures.map((f) => f.databaseCpuMs).filter((n): n is number => n !== null);
    const clientCpu = figures.map((f) => f.clientCpuMs).filter((n): n is number => n !== null);
    console.log(
      `| ${label} | ${name} | ${perSecond.map((n) => Math.round(n)).join(", ")} (**${Math.round(median(perSecond))}**) | ${p99.map(ms).join(", ")} (**${ms(median(p99))}**) | ${figures.reduce((n, f) => n + f.errors, 0)} | ${cpuMs(serverCpu.length ? median(serverCpu) : null)} / ${cpuMs(databaseCpu.length ? median(databaseCpu) : null)} / ${cpuMs(clientCpu.length ? median(clientCpu) : null)} |`,
    );
  }
  const before = bySide.get("before");
  for (const [name, after] of bySide) {
    if (!before || !name.startsWith("after")) continue;
    const ratios = after.map((a, i) => a.perSecond / before[i].perSecond);
    const p99Ratios = after.map((a, i) => a.p99 / before[i].p99);
    console.log(`| ${label} | ${name} ÷ before | ${ratios.map((r) => r.toFixed(2)).join(", ")} (**${median(ratios).toFixed(2)}**) | ${p99Ratios.map((r) => r.toFixed(2)).join(", ")} (**${median(p99Ratios).toFixed(2)}**) | | |`);
  }
}
