// Received emails per second through POST /inbound/email, stored and threaded, against the
// production server on PostgreSQL — then a count in the database: every acknowledged message
// stored and processed once, none written twice.
//
//   flock /tmp/badgedesk-e2e.lock npx tsx bench/inbound-email.ts
//   flock /tmp/badgedesk-e2e.lock npx tsx bench/inbound-email.ts --compare /work/perf-before   # before/after
//
// The mix, per sender in turn: a reply from Gmail to a known ticket (signed Reply-To, quote to
// cut), an out-of-office to a known ticket, a mailing-list message, a new email with an inline
// image (opens a ticket, answered), and every 20th request the previous message again (a retry).
// With --compare <another checkout, built>, that checkout's server runs too, each side on its own
// database, and the sides alternate round by round (before, after; after, before; …).
// Besides messages/s and latency, each run reads from /proc the CPU time of the server process and
// of the database's PostgreSQL backends, and from pg_stat_database the commits: per message, they
// say what a message costs whatever else the shared machine was doing.
// Settings (environment):
//   BENCH_DATABASE_URL  database to (re)create and use   postgres://postgres@127.0.0.1:5432/bd_inboundbench
//                       (with --compare: <name>_before and <name>_after)
//   BENCH_SECONDS       measured duration per run         15
//   BENCH_ROUNDS        runs per side                     1, or 3 with --compare
//   BENCH_CONNECTIONS   concurrent senders                20
//   BENCH_PROFILE_DIR   if set, the servers run with node --cpu-prof and write their profiles there
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import postgres from "postgres";
import { replyAddressFor } from "../app/modules/mail/threading";
import { ensureDatabase } from "../tests/support/databases";
import { freePort, startServer, stopServer } from "../tests/support/e2e-global-setup";
import { cpuSeconds, databaseCpuSeconds } from "./process-cpu";
import { percentile, timedPost, type TimedAnswer } from "./timed-post";

const { values } = parseArgs({ options: { compare: { type: "string" } } });
const compareWith = values.compare ? path.resolve(values.compare) : null;
const baseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bd_inboundbench";
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const rounds = Number(process.env.BENCH_ROUNDS ?? (compareWith ? 3 : 1));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const profileDir = process.env.BENCH_PROFILE_DIR ? path.resolve(process.env.BENCH_PROFILE_DIR) : null;
const SECRET = "bench-inbound-secret-0123456789";
const REPLY_SECRET = "bench-reply-address-secret-0123456789";
const MAIL_FROM = "badgedesk Customer Care <care@badgedesk.local>";
const WARM_UP_SECONDS = 2;
const SEED_TICKETS = 40;

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, `../tests/fixtures/email/${name}.eml`), "utf8");
const templates = { gmail: fixture("gmail-reply"), ooo: fixture("out-of-office"), list: fixture("mailing-list"), fresh: fixture("forward-inline-images") };
const fill = (template: string, values: Record<string, string>) =>
  Buffer.from(template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? "").replace(/\r?\n/g, "\r\n"));

/** One received email, as the mail provider's webhook posts it. */
function post(agent: http.Agent, port: number, body: Buffer): Promise<TimedAnswer> {
  return timedPost(agent, port, { path: "/inbound/email", headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822" }, body });
}
const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};

interface Side {
  name: string;
  cwd: string;
  databaseUrl: string;
  databaseName: string;
  port: number;
  server: ChildProcess;
  agent: http.Agent;
  sql: postgres.Sql;
  seeded: { reference: string; requester_email: string; message_id: string }[];
  acknowledged: Set<string>;
  runs: Run[];
}
interface Run {
  round: number;
  messages: number;
  perSecond: number;
  stored: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  failures: number;
  serverCpuMs: number;
  databaseCpuMs: number;
  commits: number;
  load: number;
}

let counter = 0;
async function prepareSide(name: string, cwd: string, databaseUrl: string): Promise<Side> {
  await ensureDatabase(databaseUrl, databaseUrl, { fresh: true });
  const port = await freePort();
  const server = await startServer({
    port,
    cwd,
    env: {
      DATABASE_URL: databaseUrl,
      BADGEDESK_DATA_DIR: undefined,
      SEED_DEMO: "false",
      INBOUND_EMAIL_SECRET: SECRET,
      REPLY_ADDRESS_SECRET: REPLY_SECRET,
      MAIL_FROM,
      DATABASE_POOL_SIZE: "20",
    },
    nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.join(profileDir, name.replace(/\W+/g, "-"))}`] : [],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  // Tickets to reply to: opened by email, like the measured "fresh" messages.
  for (let i = 0; i < SEED_TICKETS; i++) {
    const seed = await post(agent, port, fill(templates.fresh, { MESSAGE_ID: `<seed-${i}-${randomUUID()}@bench>`, FROM: `seed-${i}@bench.example`, TO: "care@badgedesk.local" }));
    if (seed.status !== 201) throw new Error(`${name}: seeding a ticket by email answered ${seed.status}`);
  }
  const seeded = await sql<{ reference: string; requester_email: string; message_id: string }[]>`
    select t.reference, t.requester_email, m.message_id from tickets t join mail_outbox m on m.ticket_id = t.id`;
  const databaseName = new URL(databaseUrl).pathname.slice(1);
  return { name, cwd, databaseUrl, databaseName, port, server, agent, sql, seeded, acknowledged: new Set(), runs: [] };
}

async function commitsOf(side: Side): Promise<number> {
  const [row] = await side.sql<{ commits: string }[]>`select xact_commit::text as commits from pg_stat_database where datname = ${side.databaseName}`;
  return Number(row.commits);
}

async function measure(side: Side, round: number): Promise<Run> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let requests = 0;
  let failures = 0;
  const warmUntil = Date.now() + WARM_UP_SECONDS * 1000;
  const stopAt = warmUntil + seconds * 1000;
  let cpuAtStart: { server: number; database: number; commits: Promise<number> } | null = null;
  const nextMessage = (): { id: string; raw: Buffer } => {
    const i = counter++;
    const id = `<bench-${i}-${randomUUID()}@mail.example>`;
    const t = side.seeded[i % side.seeded.length];
    const toTicket = { MESSAGE_ID: id, FROM: t.requester_email, REFERENCE: t.reference, IN_REPLY_TO: t.message_id, TO: replyAddressFor({ reference: t.reference, mailFrom: MAIL_FROM, secret: REPLY_SECRET }) };
    switch (i % 4) {
      case 0:
        return { id, raw: fill(templates.gmail, toTicket) };
      case 1:
        return { id, raw: fill(templates.ooo, toTicket) };
      case 2:
        return { id, raw: fill(templates.list, { MESSAGE_ID: id }) };
      default:
        return { id, raw: fill(templates.fresh, { MESSAGE_ID: id, FROM: `sender-${i}@bench.example`, TO: "care@badgedesk.local" }) };
    }
  };
  const worker = async () => {
    let previous: { id: string; raw: Buffer } | null = null;
    let sent = 0;
    while (Date.now() < stopAt) {
      const message: { id: string; raw: Buffer } = previous && ++sent % 20 === 0 ? previous : nextMessage();
      const outcome = await post(side.agent, side.port, message.raw).catch(() => null);
      if (!outcome) {
        failures++;
        continue;
      }
      if (Date.now() >= warmUntil) {
        cpuAtStart ??= { server: cpuSeconds(side.server.pid!), database: databaseCpuSeconds(side.databaseName), commits: commitsOf(side) };
        requests++;
        latencies.push(outcome.ms);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      }
      if (outcome.status === 201 || outcome.status === 200) side.acknowledged.add(message.id);
      previous = message;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const start = cpuAtStart as { server: number; database: number; commits: Promise<number> } | null;
  const serverCpu = cpuSeconds(side.server.pid!) - (start?.server ?? 0);
  const databaseCpu = databaseCpuSeconds(side.databaseName) - (start?.database ?? 0);
  const commits = (await commitsOf(side)) - (start ? await start.commits : 0);
  latencies.sort((a, b) => a - b);
  const stored = (statuses.get(201) ?? 0) + (statuses.get(200) ?? 0);
  const per = (value: number) => (requests ? value / requests : NaN);
  return {
    round,
    messages: requests,
    perSecond: stored / seconds,
    stored,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses: Object.fromEntries(statuses),
    failures,
    serverCpuMs: per(serverCpu * 1000),
    databaseCpuMs: per(databaseCpu * 1000),
    commits: per(commits),
    load: os.loadavg()[0],
  };
}

/** Every acknowledged message stored and processed; none written twice; no sender's ticket opened twice. */
async function verify(side: Side) {
  const stored = await side.sql<{ message_id: string; status: string }[]>`select message_id, status from inbound_emails where message_id like '<bench-%'`;
  const byId = new Map(stored.map((r) => [r.message_id, r.status]));
  const lost = [...side.acknowledged].filter((id) => byId.get(id) !== "processed");
  const [{ duplicated }] = await side.sql<{ duplicated: number }[]>`
    select count(*)::int as duplicated from (select inbound_email_id from ticket_messages where inbound_email_id is not null and not (author_kind = 'system' and automatic and email_from is null)
      group by inbound_email_id having count(*) > 1) d`;
  const [{ duplicatedTickets }] = await side.sql<{ duplicatedTickets: number }[]>`
    select count(*)::int as "duplicatedTickets" from (select requester_email from tickets where source = 'email' group by requester_email having count(*) > 1) d`;
  return { acknowledged: side.acknowledged.size, lost: lost.length, duplicated, duplicatedTickets };
}

async function main() {
  const sides: Side[] = [];
  const loadBefore = os.loadavg();
  try {
    const plan = compareWith
      ? ([["before", compareWith, `${baseUrl}_before`], ["after", process.cwd(), `${baseUrl}_after`]] as const)
      : ([["this checkout", process.cwd(), baseUrl]] as const);
    for (const [name, cwd, url] of plan) sides.push(await prepareSide(name, cwd, url));
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? sides : [...sides].reverse();
      for (const side of order) {
        const run = await measure(side, round);
        side.runs.push(run);
        console.log(
          `round ${round} ${side.name.padEnd(13)} ${run.perSecond.toFixed(0).padStart(4)} msg/s stored  p50 ${run.p50.toFixed(0)} ms  p99 ${run.p99.toFixed(0)} ms  CPU/msg server ${run.serverCpuMs.toFixed(2)} ms, PostgreSQL ${run.databaseCpuMs.toFixed(2)} ms  commits/msg ${run.commits.toFixed(2)}  statuses ${JSON.stringify(run.statuses)}${run.failures ? ` connection errors ${run.failures}` : ""}  load ${run.load.toFixed(1)}`,
        );
      }
    }
    console.log(`\nInbound email: ${connections} concurrent senders, ${rounds} × ${seconds} s per side after ${WARM_UP_SECONDS} s warm-up each, PostgreSQL; load average (1/5/15 min) ${loadBefore.map((l) => l.toFixed(1)).join(" ")} before, ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} after; ${os.cpus().length} cores`);
    console.log("| side | stored msg/s (median) | p50 / p99 ms (median) | CPU per message: server / PostgreSQL (median) | commits per message | acknowledged | lost | written twice | idle 2-core estimate |");
    console.log("|---|---|---|---|---|---|---|---|---|");
    let good = true;
    for (const side of sides) {
      const check = await verify(side);
      good &&= check.lost === 0 && check.duplicated === 0 && check.duplicatedTickets === 0;
      const r = side.runs;
      const server = median(r.map((x) => x.serverCpuMs));
      const database = median(r.map((x) => x.databaseCpuMs));
      // One Node process uses one core; the two cores together carry both processes.
      const idle = Math.min(1000 / server, 2000 / (server + database));
      console.log(
        `| ${side.name} | ${r.map((x) => x.perSecond.toFixed(0)).join(", ")} (**${median(r.map((x) => x.perSecond)).toFixed(0)}**) | ${median(r.map((x) => x.p50)).toFixed(0)} / ${median(r.map((x) => x.p99)).toFixed(0)} | ${server.toFixed(2)} / ${database.toFixed(2)} ms | ${median(r.map((x) => x.commits)).toFixed(2)} | ${check.acknowledged} | ${check.lost} | ${check.duplicated + check.duplicatedTickets} | ~${idle.toFixed(0)} msg/s |`,
      );
    }
    if (sides.length === 2) {
      const [before, after] = sides;
      const ratios = after.runs.map((run, i) => run.perSecond / before.runs[i].perSecond);
      const cpuRatios = after.runs.map((run, i) => run.serverCpuMs / before.runs[i].serverCpuMs);
      console.log(`after ÷ before, stored msg/s: median of the rounds ${median(ratios).toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(", ")}); server CPU per message: ${median(cpuRatios).toFixed(2)} (${cpuRatios.map((x) => x.toFixed(2)).join(", ")})`);
    }
    console.log(good ? "OK: every acknowledged message is stored and processed exactly once." : "PROBLEM: messages lost or written twice; see the table.");
    process.exitCode = good ? 0 : 1;
  } finally {
    for (const side of sides) {
      await side.sql.end();
      side.agent.destroy();
      await stopServer(side.server);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
