// Emails per second imported by IMAP polling, beside the same messages posted to POST /inbound/email
// one at a time (the poller is one sequential consumer, so one sender is the fair comparison), in
// alternating rounds against one production server on PostgreSQL and a private Dovecot. Then a
// count in the database: every message stored and processed once, none written twice.
//
//   flock /tmp/badgedesk-e2e.lock npx tsx bench/inbound-imap.ts
//
// Each round: N messages, half a new email with an inline image from its own sender (opens a
// ticket, answered), half a mailing-list message (automatic: stored, nothing else). For IMAP they
// are appended to a staging folder and moved into INBOX at once; the rate is measured in the
// database, from the first message stored to the last processed, the same way for both.
// Settings (environment):
//   BENCH_DATABASE_URL  database to (re)create and use   postgres://postgres@127.0.0.1:5432/bd_imapbench
//   BENCH_MESSAGES      messages per round                200
//   BENCH_ROUNDS        rounds of each                    3
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { ImapFlow } from "imapflow";
import postgres from "postgres";
import { ensureDatabase } from "../tests/support/databases";
import { startDovecot } from "../tests/support/dovecot";
import { freePort, startServer, stopServer } from "../tests/support/e2e-global-setup";

const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bd_imapbench";
const perRound = Number(process.env.BENCH_MESSAGES ?? 200);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const SECRET = "bench-inbound-secret-0123456789";

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, `../tests/fixtures/email/${name}.eml`), "utf8");
const templates = { list: fixture("mailing-list"), fresh: fixture("forward-inline-images") };
const fill = (template: string, values: Record<string, string>) =>
  Buffer.from(template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? "").replace(/\r?\n/g, "\r\n"));

function messagesFor(round: string): { id: string; raw: Buffer }[] {
  return Array.from({ length: perRound }, (_, i) => {
    const id = `<bench-${round}-${i}-${randomUUID()}@mail.example>`;
    return i % 2 === 0
      ? { id, raw: fill(templates.fresh, { MESSAGE_ID: id, FROM: `sender-${round}-${i}@bench.example`, TO: "care@badgedesk.local" }) }
      : { id, raw: fill(templates.list, { MESSAGE_ID: id }) };
  });
}

function post(agent: http.Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: "127.0.0.1", port, method: "POST", path: "/inbound/email", headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822", "Content-Length": body.length } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  await ensureDatabase(databaseUrl, databaseUrl, { fresh: true });
  const dovecot = await startDovecot();
  const port = await freePort();
  const server = await startServer({
    port,
    env: {
      DATABASE_URL: databaseUrl,
      BADGEDESK_DATA_DIR: undefined,
      SEED_DEMO: "false",
      INBOUND_EMAIL_SECRET: SECRET,
      TICKET_LIMIT_PER_ADDRESS: "100000",
      ...dovecot.serverEnv(),
    },
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const imap = new ImapFlow({ host: "127.0.0.1", port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false, disableAutoIdle: true });
  imap.on("error", () => {});
  await imap.connect();
  await imap.mailboxCreate("Staging").catch(() => {});

  // Messages per second from the first stored to the last processed, once all are processed.
  const measure = async (ids: string[]) => {
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const [row] = await sql<{ processed: number; first: Date; last: Date }[]>`
        select count(*) filter (where status = 'processed')::int as processed, min(received_at) as first, max(processed_at) as last
        from inbound_emails where message_id = any(${ids})`;
      if (row.processed === ids.length) return ids.length / ((row.last.getTime() - row.first.getTime()) / 1000);
      if (Date.now() > deadline) throw new Error(`only ${row.processed} of ${ids.length} processed after 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const viaImap = async (round: number) => {
    const batch = messagesFor(`imap${round}`);
    const lock = await imap.getMailboxLock("Staging");
    try {
      for (const m of batch) await imap.append("Staging", m.raw, []);
      await imap.messageMove("1:*", "INBOX");
    } finally {
      lock.release();
    }
    return measure(batch.map((m) => m.id));
  };
  const viaHttp = async (round: number) => {
    const batch = messagesFor(`http${round}`);
    for (const m of batch) {
      const status = await post(agent, port, m.raw);
      if (status !== 201) throw new Error(`POST /inbound/email answered ${status}`);
    }
    return measure(batch.map((m) => m.id));
  };

  try {
    const results: { imap: number; http: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      // The order alternates, so neither always runs on a warmer (or busier) machine.
      const first = round % 2 === 0 ? await viaImap(round) : await viaHttp(round);
      const second = round % 2 === 0 ? await viaHttp(round) : await viaImap(round);
      const result = round % 2 === 0 ? { imap: first, http: second } : { imap: second, http: first };
      results.push(result);
      console.log(`round ${round + 1}: IMAP ${result.imap.toFixed(1)}/s, HTTP (one sender) ${result.http.toFixed(1)}/s, ratio ${(result.imap / result.http).toFixed(2)}  (load ${os.loadavg()[0].toFixed(2)})`);
    }
    const [{ duplicated }] = await sql<{ duplicated: number }[]>`
      select count(*)::int as duplicated from (select inbound_email_id from ticket_messages where inbound_email_id is not null and author_kind <> 'system'
        group by inbound_email_id having count(*) > 1) d`;
    const [{ ticketsTwice }] = await sql<{ ticketsTwice: number }[]>`
      select count(*)::int as "ticketsTwice" from (select requester_email from tickets where source = 'email' group by requester_email having count(*) > 1) d`;
    const [{ stored }] = await sql<{ stored: number }[]>`select count(*)::int as stored from inbound_emails where message_id like '<bench-%' and status = 'processed'`;
    const left = (await dovecot.messages()).filter((m) => !m.flags.includes("\\Seen")).length;
    console.log(`\nInbound email by IMAP vs POST /inbound/email, ${perRound} messages a round, ${rounds} rounds each, PostgreSQL ${new URL(databaseUrl).pathname.slice(1)}, Dovecot on localhost`);
    console.log(`  IMAP median ${median(results.map((r) => r.imap)).toFixed(1)} messages/s; HTTP (one sender) median ${median(results.map((r) => r.http)).toFixed(1)} messages/s`);
    console.log(`  median ratio IMAP / HTTP ${median(results.map((r) => r.imap / r.http)).toFixed(2)}`);
    console.log(`  load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (1, 5, 15 min) at the end, ${os.cpus().length} cores`);
    console.log(`  processed ${stored} of ${perRound * rounds * 2}; written twice ${duplicated}; tickets opened twice by one sender ${ticketsTwice}; left unread in the mailbox ${left}`);
    process.exitCode = stored === perRound * rounds * 2 && duplicated === 0 && ticketsTwice === 0 && left === 0 ? 0 : 1;
  } finally {
    await imap.logout().catch(() => {});
    await sql.end();
    agent.destroy();
    await stopServer(server);
    await dovecot.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
