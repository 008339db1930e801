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
// Under the e2e lock because starting the server may rebuild build/.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { freePort, startServer, stopServer } from "../tests/support/e2e-global-setup";
import { BENCH_AGENTS, benchAgentId, platformAddress, platformDatabaseUrl } from "../scripts/generate-platform";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    agents: { type: "string", default: "16" },
    database: { type: "string", default: "bd_platform" },
    server: { type: "string", default: "postgres://postgres@127.0.0.1:5432" },
  },
});
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const agents = Math.min(Number(values.agents), BENCH_AGENTS);
const databaseUrl = platformDatabaseUrl(values.server, values.database);

// Sessions are made in this process, with the server's own code: the same secret and table.
process.env.DATABASE_URL = databaseUrl;
process.env.DATABASE_POOL_SIZE = String(agents);
const { createLoginSession } = await import("~/modules/auth");
const { awardStatesForAccount } = await import("~/modules/accounts");
const { closeConnection } = await import("#db/client.server");

const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
const [{ tickets, addresses }] = await sql<{ tickets: number; addresses: number }[]>`
  select (select count(*)::int from tickets) as tickets, (select count(*)::int from account_emails where email ilike 'learner%') as addresses`;
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
}

/** CPU seconds used so far by a process (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

/** CPU seconds of the PostgreSQL backends serving this database (their titles name it). */
function databaseCpuSeconds(): number {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(` ${values.database} `)) total += cpuSeconds(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `agents` callers, each with one request in flight, for the warm-up and then `seconds`. */
async function measure(label: string, call: (worker: number) => Promise<boolean>, serverPid: number | null = server.pid ?? null): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let cpuAtStart: { server: number; database: number } | null = null;
  const warmUntil = Date.now() + warmupSeconds * 1000;
  const stopAt = warmUntil + seconds * 1000;
  await Promise.all(
    Array.from({ length: agents }, async (_, worker) => {
      while (Date.now() < stopAt) {
        const started = performance.now();
        const ok = await call(worker).catch(() => false);
        const ms = performance.now() - started;
        if (Date.now() < warmUntil) continue;
        cpuAtStart ??= { server: serverPid ? cpuSeconds(serverPid) : 0, database: databaseCpuSeconds() };
        if (ok) latencies.push(ms);
        else errors++;
      }
    }),
  );
  const cpu = cpuAtStart as { server: number; database: number } | null;
  const perRequest = (spent: number) => (cpu && latencies.length ? (spent * 1000) / latencies.length : null);
  const serverCpuMs = serverPid && cpu ? perRequest(cpuSeconds(serverPid) - cpu.server) : null;
  const databaseCpuMs = cpu ? perRequest(databaseCpuSeconds() - cpu.database) : null;
  latencies.sort((a, b) => a - b);
  return { label, requests: latencies.length, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, errors, serverCpuMs, databaseCpuMs };
}

const port = await freePort();
const server = await startServer({ port, env: { DATABASE_URL: databaseUrl, BADGEDESK_DATA_DIR: undefined, SEED_DEMO: "false" } });
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: agents });

function request(method: "GET" | "POST", path: string, cookie: string, body?: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent: httpAgent,
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: {
          Cookie: cookie,
          Host: `localhost:${port}`,
          ...(body ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: `http://localhost:${port}` } : {}),
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

const results: Figures[] = [];
const loadBefore = os.loadavg();
try {
  const cookies: string[] = [];
  for (let n = 1; n <= agents; n++) {
    const login = await createLoginSession({ request: new Request("http://localhost/login"), accountId: benchAgentId(n), redirectTo: "/" });
    cookies.push(login.headers.getSetCookie().find((c) => c.startsWith("bd_session="))!.split(";")[0]);
  }
  const page = (path: () => string) => async (worker: number) => (await request("GET", path(), cookies[worker])).status === 200;

  // A yardstick in the same run: an existing signed-in page of the same weight class, so a busy
  // machine shows as a slow yardstick rather than as a slow agent desk.
  results.push(await measure("yardstick: My tickets (/tickets), an existing signed-in page", page(() => "/tickets")));
  results.push(await measure("queue, first page (/agent: All open, longest wait first, with the view counts)", page(() => "/agent")));
  results.push(await measure("filtered view (/agent?view=open&category=revoked_badge&sort=activity)", page(() => "/agent?view=open&category=revoked_badge&sort=activity")));
  results.push(await measure("ticket page (/agent/tickets/<random of 100,000>)", page(() => `/agent/tickets/${ticketId(1 + randomInt(tickets))}`)));

  // Each reply goes to a ticket of its own, in the state the agent saw when they opened it (read
  // before the run, not timed): every send passes the collision guard and writes a reply, its
  // status change when there is one, an audit row and an outbox mail.
  const perWorker = 1500;
  const numbers = Array.from({ length: agents * perWorker }, (_, i) => 1 + ((i * 7919) % tickets));
  const states = new Map<string, string>();
  for (let i = 0; i < numbers.length; i += 5000) {
    const ids = numbers.slice(i, i + 5000).map(ticketId);
    const rows = await sql<{ id: string; state: string }[]>`
      select t.id, (select count(*) from ticket_messages m where m.ticket_id = t.id) || '.' ||
                   (select coalesce(max(e.id), 0) from ticket_events e where e.ticket_id = t.id) || '.' || coalesce(t.assignee_id::text, '-') as state
      from tickets t where t.id = any(${ids}::uuid[])`;
    for (const row of rows) states.set(row.id, row.state);
  }
  const next = Array.from({ length: agents }, () => 0);
  results.push(
    await measure("public reply (POST /agent/tickets/<id>, Send)", async (worker) => {
      const id = ticketId(numbers[worker * perWorker + (next[worker]++ % perWorker)]);
      const body = new URLSearchParams({
        intent: "send",
        visibility: "public",
        body: "Thanks for waiting. We've sent a verification link to your school address; the badge shows once you open it.",
        idempotencyKey: randomUUID(),
        state: states.get(id)!,
      }).toString();
      const response = await request("POST", `/agent/tickets/${id}`, cookies[worker], body);
      return response.status === 302 && response.location === `/agent/tickets/${id}`;
    }),
  );
  await stopServer(server);
  results.push(
    await measure(`bare account lookup (awardStatesForAccount in process, ${agents} callers, random address of ${addresses.toLocaleString("en")})`, async () => {
      const result = await awardStatesForAccount({ email: platformAddress(1 + randomInt(addresses)).toUpperCase() });
      return result !== null;
    }, null),
  );
} finally {
  await stopServer(server);
  httpAgent.destroy();
  await sql.end();
  await closeConnection();
}

const loadAfter = os.loadavg();
const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log(`\n${agents} concurrent agents, ${seconds} s each after ${warmupSeconds} s warm-up; ${tickets.toLocaleString("en")} tickets; ${os.cpus().length} cores`);
console.log(`load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}\n`);
const cpuMs = (n: number | null) => (n === null ? "–" : `${n.toFixed(2)} ms`);
console.log("| what | requests/s | p50 | p99 | max | errors | CPU per request: app server / PostgreSQL |\n|---|---:|---:|---:|---:|---:|---|");
for (const r of results) console.log(`| ${r.label} | ${Math.round(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.errors} | ${cpuMs(r.serverCpuMs)} / ${cpuMs(r.databaseCpuMs)} |`);
