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
  await dovecot.deliver(
    Buffer.from(
      [
        "From: Dana Reyes <dana.reyes@example.test>",
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
    ),
  );

  const port = await freePort();
  const server = await startServer({
    port,
    env: {
      DATABASE_URL: undefined,
      BADGEDESK_DATA_DIR: dataDir,
      SEED_DEMO: "false",
      IMAP_HOST: "127.0.0.1",
      IMAP_PORT: String(dovecot.port),
      IMAP_TLS: "off",
      IMAP_USER: dovecot.user,
      IMAP_PASSWORD: dovecot.password,
      IMAP_POLL_SECONDS: "1",
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

test("wrong IMAP settings stop the server at start-up with what to fix", async () => {
  const port = await freePort();
  const started = startServer({
    port,
    env: { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: path.join(dataDir, "refused"), SEED_DEMO: "false", IMAP_HOST: "imap.example.org", IMAP_TLS: "off", IMAP_PASSWORD: "x" },
  });
  await expect(started).rejects.toThrow(/IMAP polling is configured wrongly[\s\S]*IMAP_TLS=off would send[\s\S]*IMAP_USER is not set/);
});
