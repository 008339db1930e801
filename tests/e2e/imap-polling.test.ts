// The production server polling a real IMAP mailbox (a private Dovecot): mail left there opens a
// ticket without anyone posting it, the message is marked read, and SIGTERM stops the server
// cleanly with polling on. Wrong IMAP settings stop the server at start-up, saying what is wrong.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startDovecot, type Dovecot } from "../support/dovecot";
import { freePort, startServer } from "../support/e2e-global-setup";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "badgedesk-imap-e2e-"));
let dovecot: Dovecot;

/** A learner's first email to Customer Care: it opens a ticket. */
function newEmail({ from, subject, messageId }: { from: string; subject: string; messageId: string }): Buffer {
  return Buffer.from(
    [
      `From: Dana Reyes <${from}>`,
      `To: ${dovecot.user}`,
      `Subject: ${subject}`,
      `Message-ID: ${messageId}`,
      "Date: Fri, 04 Dec 2026 10:00:00 +0000",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "I finished the Data Literacy course last week and the badge is not in my backpack.",
      "",
    ].join("\r\n"),
  );
}

/** The Message-IDs stored and processed in a stopped server's PGlite folder. */
async function processedIds(folder: string): Promise<string[]> {
  const database = new PGlite(folder);
  try {
    return (await database.query<{ message_id: string }>("select message_id from inbound_emails where status = 'processed'")).rows.map((r) => r.message_id);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dovecot = await startDovecot();
});

afterAll(async () => {
  await dovecot?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("mail in the polled mailbox opens a ticket and is marked read; SIGTERM stops the server cleanly", async () => {
  const subject = `My badge never arrived ${randomUUID().slice(0, 8)}`;
  const messageId = `<${randomUUID()}@mail.example>`;
  await dovecot.deliver(newEmail({ from: "dana.reyes@example.test", subject, messageId }));

  const port = await freePort();
  const server = await startServer({
    port,
    env: {
      DATABASE_URL: undefined,
      BADGEDESK_DATA_DIR: dataDir,
      SEED_DEMO: "false",
      ...dovecot.serverEnv(),
    },
  });
  const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
  await expect.poll(async () => (await dovecot.messages())[0]?.flags, { timeout: 20_000, interval: 200 }).toEqual(["\\Seen"]);
  server.kill("SIGTERM");
  expect(await exited).toBe(0);

  const database = new PGlite(dataDir);
  try {
    const stored = await database.query<{ via: string; status: string; outcome: string; subject: string }>(
      "select e.via, e.status, e.outcome, t.subject from inbound_emails e join tickets t on t.id = e.ticket_id where e.message_id = $1",
      [messageId],
    );
    expect(stored.rows).toEqual([{ via: "imap", status: "processed", outcome: "new_ticket", subject }]);
  } finally {
    await database.close();
  }
});

test("SIGTERM in the middle of importing a backlog: a message is marked read only once it is stored and processed, and a restart imports the rest once", async () => {
  const backlogDir = path.join(dataDir, "backlog");
  await dovecot.empty();
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const messageId = `<backlog-${i}-${randomUUID()}@mail.example>`;
    ids.push(messageId);
    await dovecot.deliver(newEmail({ from: `backlog-${i}@example.test`, subject: `Backlog ${i}`, messageId }));
  }
  const env = {
    DATABASE_URL: undefined,
    BADGEDESK_DATA_DIR: backlogDir,
    SEED_DEMO: "false",
    TICKET_LIMIT_PER_ADDRESS: "1000",
    ...dovecot.serverEnv(),
  };
  const readIds = async () => (await dovecot.messages()).filter((m) => m.flags.includes("\\Seen")).map((m) => m.messageId!);

  const first = await startServer({ port: await freePort(), env });
  const firstExited = new Promise<number | null>((resolve) => first.once("exit", resolve));
  await expect.poll(async () => (await readIds()).length, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
  first.kill("SIGTERM");
  expect(await firstExited).toBe(0);
  const readAtStop = await readIds();
  expect(readAtStop.length).toBeLessThan(40); // the stop did come in the middle
  const processedAtStop = await processedIds(backlogDir);
  // Read implies processed; a message processed but not yet marked read is simply imported again (a no-op) later.
  expect(readAtStop.filter((id) => !processedAtStop.includes(id))).toEqual([]);

  const second = await startServer({ port: await freePort(), env });
  const secondExited = new Promise<number | null>((resolve) => second.once("exit", resolve));
  await expect.poll(async () => (await readIds()).length, { timeout: 60_000, interval: 200 }).toBe(40);
  second.kill("SIGTERM");
  expect(await secondExited).toBe(0);
  const processed = await processedIds(backlogDir);
  expect([...processed].sort()).toEqual([...ids].sort());
  const database = new PGlite(backlogDir);
  try {
    const tickets = await database.query<{ n: number }>("select count(*)::int as n from tickets");
    expect(tickets.rows[0].n).toBe(40); // one ticket per message, none opened twice
  } finally {
    await database.close();
  }
});

test("wrong IMAP settings stop the server at start-up with what to fix", async () => {
  const port = await freePort();
  const started = startServer({
    port,
    env: { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: path.join(dataDir, "refused"), SEED_DEMO: "false", IMAP_HOST: "imap.example.org", IMAP_TLS: "off", IMAP_PASSWORD: "x" },
  });
  await expect(started).rejects.toThrow(/IMAP polling is configured wrongly[\s\S]*IMAP_TLS=off would send[\s\S]*IMAP_USER is not set/);
});
