// Received emails per second through POST /inbound/email, stored and threaded, against the
// production server on PostgreSQL — then a count in the database: every acknowledged message
// stored and processed once, none written twice.
//
//   flock /tmp/badgedesk-e2e.lock npx tsx bench/inbound-email.ts
//
// The mix, per sender in turn: a reply from Gmail to a known ticket (signed Reply-To, quote to
// cut), an out-of-office to a known ticket, a mailing-list message, a new email with an inline
// image (opens a ticket, answered), and every 20th request the previous message again (a retry).
// Settings (environment):
//   BENCH_DATABASE_URL  database to (re)create and use   postgres://postgres@127.0.0.1:5432/bd_inboundbench
//   BENCH_SECONDS       measured duration                 20
//   BENCH_CONNECTIONS   concurrent senders                20
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { replyAddressFor } from "../app/modules/mail/threading";
import { ensureDatabase } from "../tests/support/databases";
import { freePort, startServer, stopServer } from "../tests/support/e2e-global-setup";
import { percentile, timedPost, type TimedAnswer } from "./timed-post";

const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bd_inboundbench";
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECRET = "bench-inbound-secret-0123456789";
const REPLY_SECRET = "bench-reply-address-secret-0123456789";
const MAIL_FROM = "badgedesk Customer Care <care@badgedesk.local>";
const WARM_UP_SECONDS = 3;
const SEED_TICKETS = 40;

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, `../tests/fixtures/email/${name}.eml`), "utf8");
const templates = { gmail: fixture("gmail-reply"), ooo: fixture("out-of-office"), list: fixture("mailing-list"), fresh: fixture("forward-inline-images") };
const fill = (template: string, values: Record<string, string>) =>
  Buffer.from(template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? "").replace(/\r?\n/g, "\r\n"));

/** One received email, as the mail provider's webhook posts it. */
function post(agent: http.Agent, port: number, body: Buffer): Promise<TimedAnswer> {
  return timedPost(agent, port, { path: "/inbound/email", headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822" }, body });
}

async function main() {
  await ensureDatabase(databaseUrl, databaseUrl, { fresh: true });
  const port = await freePort();
  const server = await startServer({
    port,
    env: { DATABASE_URL: databaseUrl, BADGEDESK_DATA_DIR: undefined, SEED_DEMO: "false", INBOUND_EMAIL_SECRET: SECRET, REPLY_ADDRESS_SECRET: REPLY_SECRET, MAIL_FROM, DATABASE_POOL_SIZE: "20" },
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // Tickets to reply to: opened by email, like the measured "fresh" messages.
    for (let i = 0; i < SEED_TICKETS; i++) {
      const seed = await post(agent, port, fill(templates.fresh, { MESSAGE_ID: `<seed-${i}-${randomUUID()}@bench>`, FROM: `seed-${i}@bench.example`, TO: "care@badgedesk.local" }));
      if (seed.status !== 201) throw new Error(`Seeding a ticket by email answered ${seed.status}`);
    }
    const seeded = await sql<{ reference: string; requester_email: string; message_id: string }[]>`
      select t.reference, t.requester_email, m.message_id from tickets t join mail_outbox m on m.ticket_id = t.id`;
    const acknowledged = new Set<string>();
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let requests = 0;
    let failures = 0;
    let n = 0;
    const warmUntil = Date.now() + WARM_UP_SECONDS * 1000;
    const stopAt = warmUntil + seconds * 1000;
    const nextMessage = (): { id: string; raw: Buffer } => {
      const i = n++;
      const id = `<bench-${i}-${randomUUID()}@mail.example>`;
      const t = seeded[i % seeded.length];
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
        const outcome = await post(agent, port, message.raw).catch(() => null);
        if (!outcome) {
          failures++;
          continue;
        }
        const measuring = outcome.ms > 0 && Date.now() >= warmUntil;
        if (measuring) {
          requests++;
          latencies.push(outcome.ms);
          statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        }
        if (outcome.status === 201 || outcome.status === 200) acknowledged.add(message.id);
        previous = message;
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: connections }, worker));
    const elapsed = (Date.now() - Math.max(started, warmUntil)) / 1000;

    const stored = await sql<{ message_id: string; status: string }[]>`select message_id, status from inbound_emails where message_id like '<bench-%'`;
    const byId = new Map(stored.map((r) => [r.message_id, r.status]));
    const lost = [...acknowledged].filter((id) => byId.get(id) !== "processed");
    const [{ duplicated }] = await sql<{ duplicated: number }[]>`
      select count(*)::int as duplicated from (select inbound_email_id from ticket_messages where inbound_email_id is not null and not (author_kind = 'system' and automatic and email_from is null)
        group by inbound_email_id having count(*) > 1) d`;
    const [{ duplicatedTickets }] = await sql<{ duplicatedTickets: number }[]>`
      select count(*)::int as "duplicatedTickets" from (select requester_email from tickets where source = 'email' group by requester_email having count(*) > 1) d`;
    latencies.sort((a, b) => a - b);
    const ok = (statuses.get(201) ?? 0) + (statuses.get(200) ?? 0);
    console.log(`\nInbound email: ${connections} concurrent senders, ${seconds} s measured after ${WARM_UP_SECONDS} s warm-up, PostgreSQL ${new URL(databaseUrl).pathname.slice(1)}`);
    console.log(`  requests            ${requests} (${(requests / elapsed).toFixed(0)}/s); stored and threaded (201/200) ${ok} (${(ok / elapsed).toFixed(0)}/s)`);
    console.log(`  statuses            ${JSON.stringify(Object.fromEntries(statuses))}; connection errors ${failures}`);
    console.log(`  latency ms          p50 ${percentile(latencies, 50).toFixed(1)}  p95 ${percentile(latencies, 95).toFixed(1)}  p99 ${percentile(latencies, 99).toFixed(1)}  max ${(latencies.at(-1) ?? 0).toFixed(1)}`);
    console.log(`  load average        ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (1, 5, 15 min) at the end, ${os.cpus().length} cores`);
    console.log(`  acknowledged ${acknowledged.size}, lost ${lost.length}, written twice ${duplicated}, tickets opened twice by one sender ${duplicatedTickets}`);
    const good = lost.length === 0 && duplicated === 0 && duplicatedTickets === 0;
    console.log(good ? "  OK: every acknowledged message is stored and processed exactly once." : "  PROBLEM: see the counts above.");
    process.exitCode = good ? 0 : 1;
  } finally {
    await sql.end();
    agent.destroy();
    await stopServer(server);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
