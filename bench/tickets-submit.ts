// Ticket submissions per second, sustained, against the production server on PostgreSQL — then
// a count in the database: every acknowledged ticket present, none duplicated.
//
//   flock /tmp/badgedesk-e2e.lock npx tsx bench/tickets-submit.ts
//
// Settings (environment):
//   BENCH_DATABASE_URL  database to (re)create and use   postgres://postgres@127.0.0.1:5432/bd_ticketbench
//   BENCH_SECONDS       measured duration                 30
//   BENCH_CONNECTIONS   concurrent clients                32
//   BENCH_RESUBMIT_EVERY every n-th request resends the previous form (double submit)   20
//   BENCH_BODY          form: URL-encoded, as before files; multipart: what a browser sends
//                       since the form takes files (none chosen); screenshot: multipart with a
//                       50 KB PNG on every ticket                                          form
// The server runs with TICKET_LIMIT_PER_CLIENT=10000000: every request comes from loopback, and
// the per-client limit (30 an hour by default) would otherwise refuse all but the first 30. The
// limit is still counted on every request, so its cost is part of the figure.
// Under the e2e lock because starting the server may rebuild build/.
import os from "node:os";
import http from "node:http";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { ensureDatabase } from "../tests/support/databases";
import { freePort, startServer, stopServer } from "../tests/support/e2e-global-setup";
import { cpuSeconds, databaseCpuSeconds } from "./process-cpu";
import { percentile, timedPost, type TimedAnswer } from "./timed-post";

const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bd_ticketbench";
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const resubmitEvery = Number(process.env.BENCH_RESUBMIT_EVERY ?? 20);
const bodyKind = (process.env.BENCH_BODY ?? "form") as "form" | "multipart" | "screenshot";
// A PNG as far as the type check goes (the signature), 50 KB like a small screenshot.
const SCREENSHOT = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(50 * 1024 - 8, 7)]);
const BOUNDARY = "----badgedeskbench7MA4YWxkTrZu0gW";
const WARM_UP_SECONDS = 3;

/** One ticket form posted as a browser on the page posts it. */
function post(agent: http.Agent, port: number, { body, contentType }: { body: Buffer; contentType: string }): Promise<TimedAnswer> {
  return timedPost(agent, port, {
    path: "/tickets/new",
    headers: { "Content-Type": contentType, Origin: `http://localhost:${port}`, Host: `localhost:${port}` },
    body,
  });
}

function ticketForm(key: string, n: number): { body: Buffer; contentType: string } {
  const fields = {
    intent: "submit",
    name: `Bench Learner ${n}`,
    email: `bench-${key.slice(0, 13)}@example.test`,
    category: "missing_badge",
    subject: `Badge ${n} is not in my backpack`,
    description: `Benchmark ticket ${key}.\nThe issuer says it was awarded last week; I can't see it anywhere.`,
    issuerOrBadge: "Lakeside Technical Institute",
    idempotencyKey: key,
  };
  if (bodyKind === "form") return { body: Buffer.from(new URLSearchParams(fields).toString()), contentType: "application/x-www-form-urlencoded" };
  const parts = Object.entries(fields).map(([name, value]) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const file =
    bodyKind === "screenshot"
      ? Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="screenshot.png"\r\nContent-Type: image/png\r\n\r\n`), SCREENSHOT, Buffer.from("\r\n")])
      : Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`);
  return { body: Buffer.concat([...parts, file, Buffer.from(`--${BOUNDARY}--\r\n`)]), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}


async function main() {
  await ensureDatabase(databaseUrl, databaseUrl, { fresh: true });
  const port = await freePort();
  const server = await startServer({
    port,
    env: { DATABASE_URL: databaseUrl, BADGEDESK_DATA_DIR: undefined, TICKET_LIMIT_PER_CLIENT: "10000000", SEED_DEMO: "false" },
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const acknowledged = new Set<string>();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let requests = 0;
  let resubmits = 0;
  let resubmitsAnsweredAsSame = 0;
  let failures = 0;

  try {
    const databaseName = new URL(databaseUrl).pathname.slice(1);
    const cpuAtStart = { taken: false, server: 0, database: 0 };
    let measuring = false;
    const warmUntil = Date.now() + WARM_UP_SECONDS * 1000;
    const stopAt = warmUntil + seconds * 1000;
    let n = 0;
    const worker = async () => {
      let previous: string | null = null;
      while (Date.now() < stopAt) {
        measuring = Date.now() >= warmUntil;
        if (measuring && !cpuAtStart.taken) Object.assign(cpuAtStart, { taken: true, server: cpuSeconds(server.pid!), database: databaseCpuSeconds(databaseName) });
        const resubmit = previous !== null && resubmitEvery > 0 && n % resubmitEvery === 0;
        const key: string = resubmit && previous ? previous : randomUUID();
        const outcome = await post(agent, port, ticketForm(key, n++)).catch(() => null);
        if (!outcome) {
          failures++;
          continue;
        }
        const ok = outcome.status === 302 && outcome.location === "/tickets/received";
        if (measuring) {
          requests++;
          latencies.push(outcome.ms);
          statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
          if (resubmit) {
            resubmits++;
            if (ok) resubmitsAnsweredAsSame++;
          }
        }
        // Every acknowledged ticket, warm-up included, must be in the database afterwards.
        if (ok) acknowledged.add(key);
        previous = key;
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: connections }, worker));
    const elapsed = (Date.now() - Math.max(started, warmUntil)) / 1000;
    const serverCpu = cpuSeconds(server.pid!) - cpuAtStart.server;
    const databaseCpu = databaseCpuSeconds(databaseName) - cpuAtStart.database;

    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const stored = await sql<{ idempotency_key: string }[]>`select idempotency_key from tickets where idempotency_key is not null`;
    const storedKeys = new Set(stored.map((r) => r.idempotency_key));
    const lost = [...acknowledged].filter((k) => !storedKeys.has(k));
    const [{ duplicated_keys }] = await sql<{ duplicated_keys: number }[]>`
      select count(*)::int as duplicated_keys from (select idempotency_key from tickets group by idempotency_key having count(*) > 1) d`;
    const [{ duplicated_content }] = await sql<{ duplicated_content: number }[]>`
      select count(*)::int as duplicated_content from (select fingerprint from tickets group by fingerprint having count(*) > 1) d`;
    const [{ messages, events, mails, files }] = await sql<{ messages: number; events: number; mails: number; files: number }[]>`
      select (select count(*) from ticket_messages)::int as messages, (select count(*) from ticket_events)::int as events,
             (select count(*) from ticket_attachments)::int as files,
             (select count(*) from mail_outbox where subject like '[BD-%')::int as mails`;
    await sql.end();

    latencies.sort((a, b) => a - b);
    const accepted = statuses.get(302) ?? 0;
    console.log(`\nTicket submissions (${bodyKind}): ${connections} clients, ${seconds} s measured after ${WARM_UP_SECONDS} s warm-up, PostgreSQL ${new URL(databaseUrl).pathname.slice(1)}`);
    console.log(`  requests            ${requests} (${(requests / elapsed).toFixed(0)}/s), of which deliberate resubmits ${resubmits}`);
    console.log(`  acknowledged (302)  ${accepted} (${(accepted / elapsed).toFixed(0)}/s)`);
    console.log(`  other statuses      ${JSON.stringify(Object.fromEntries([...statuses].filter(([s]) => s !== 302)))}; connection errors ${failures}`);
    console.log(`  latency ms          p50 ${percentile(latencies, 50).toFixed(1)}  p95 ${percentile(latencies, 95).toFixed(1)}  p99 ${percentile(latencies, 99).toFixed(1)}  max ${(latencies.at(-1) ?? 0).toFixed(1)}`);
    console.log(
      `  CPU per request     server ${((serverCpu * 1000) / requests).toFixed(2)} ms (${((serverCpu / elapsed) * 100).toFixed(0)}% of a core), ` +
        `PostgreSQL ${((databaseCpu * 1000) / requests).toFixed(2)} ms (${((databaseCpu / elapsed) * 100).toFixed(0)}% of a core); machine load ${os.loadavg()[0].toFixed(1)} at the end`,
    );
    console.log(`  resubmits answered with the first ticket: ${resubmitsAnsweredAsSame}/${resubmits}`);
    console.log(`  database: ${storedKeys.size} tickets, ${messages} messages, ${events} events, ${mails} confirmation emails queued, ${files} files`);
    console.log(`  acknowledged tickets ${acknowledged.size}, missing ${lost.length}, duplicated keys ${duplicated_keys}, duplicated content ${duplicated_content}`);
    const good = lost.length === 0 && duplicated_keys === 0 && duplicated_content === 0;
    console.log(good ? "  OK: every acknowledged ticket is stored exactly once." : "  PROBLEM: see the counts above.");
    process.exitCode = good ? 0 : 1;
  } finally {
    agent.destroy();
    await stopServer(server);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
