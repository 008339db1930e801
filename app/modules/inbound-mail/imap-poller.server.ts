// IMAP polling: every IMAP_POLL_SECONDS one instance (an advisory lock, see runExclusively)
// signs in to the mailbox, hands each unread message to the same pipeline as POST /inbound/email,
// and marks it read only once the pipeline has stored and processed it.
//
// Bookkeeping is the \Seen flag on the server, not a remembered UID. A UID means something only
// with its folder's UIDVALIDITY, which changes when the folder is rebuilt or restored (and every
// instance would have to share the last UID in the database). With \Seen the server holds the
// state: a message is read once it is imported, and a restored folder that shows old mail as unread
// again costs one look-up each, because the pipeline answers "already stored" for a Message-ID it
// has processed. UIDs are used only inside one session, between its SEARCH and its STOREs, where
// they cannot change. The price: nobody else may read this folder with a mail program (a message
// read there before a poll is never imported); give the helpdesk its own mailbox.
//
// A message the pipeline could not process stays unread and is tried again at the next poll,
// up to IMAP_MAX_ATTEMPTS times; then it is flagged (\Flagged, and \Seen so polls leave it) for a
// person, its raw copy stored. A message over INBOUND_EMAIL_MAX_BYTES is never downloaded: it is
// logged and flagged the same way, so it can't block the mailbox.
import { ImapFlow, type ImapFlowOptions } from "imapflow";
import { runExclusively } from "#db/client.server";
import { config } from "~/lib/config.server";
import { describeErrorForLog } from "~/lib/log-redaction";
import { accessTokenSource, type AccessTokenSource } from "./oauth2-token.server";
import type { ImapSettings } from "./imap-settings";
import { receiveEmail } from "./pipeline.server";

/** Advisory-lock key of the IMAP poll (any constant no other lock uses). */
export const IMAP_POLL_LOCK = 7_351_204;

/** At most this many messages per poll, so a backlog never holds a poll (and a shutdown) for long; the next poll follows at once. */
const MESSAGES_PER_POLL = 50;
/** A stop waits this long for the message in hand, then closes the IMAP connection. */
const STOP_WAIT_MS = 5_000;

export interface PollReport {
  /** Stored and processed now. */
  imported: number;
  /** Processed before (the same Message-ID came again): marked read, nothing added. */
  alreadyStored: number;
  /** Left unread for the next poll. */
  failed: number;
  /** Over INBOUND_EMAIL_MAX_BYTES, flagged, not downloaded. */
  tooLarge: number;
  /** Failed IMAP_MAX_ATTEMPTS times: flagged and left alone. */
  gaveUp: number;
  /** Unread messages left for the next poll (over MESSAGES_PER_POLL). */
  remaining: number;
}

export type PollOutcome = { skipped: true } | ({ skipped: false } & PollReport);

export interface ImapPoller {
  /** One poll, unless another poller holds the lock (then `skipped`). Throws when the mailbox can't be reached. */
  pollOnce(): Promise<PollOutcome>;
  /** Polls now and then every interval, logging what each poll did. */
  start(): void;
  /** Stops polling; waits for the poll in progress (closing its connection if it takes long). */
  stop(): Promise<void>;
}

export function createImapPoller(settings: ImapSettings, { log = console }: { log?: Pick<Console, "log" | "error"> } = {}): ImapPoller {
  const tokens: AccessTokenSource | null = settings.auth.method === "oauth2" ? accessTokenSource(settings.auth) : null;
  // Failed tries per message, keyed by UIDVALIDITY and UID (valid together across sessions).
  const attempts = new Map<string, number>();
  let stopped = false;
  // The poll in progress, with its connection once open (a stop that waits too long closes it).
  let current: { client: ImapFlow | null; done: Promise<unknown> } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let skippedBefore = false;

  async function connect(running: { client: ImapFlow | null }): Promise<ImapFlow> {
    const auth: ImapFlowOptions["auth"] =
      settings.auth.method === "password"
        ? { user: settings.auth.user, pass: settings.auth.password }
        : { user: settings.auth.user, accessToken: settings.auth.method === "access-token" ? settings.auth.accessToken : await tokens!.get() };
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.tls === "on",
      ...(settings.tls === "starttls" ? { doSTARTTLS: true } : settings.tls === "off" ? { doSTARTTLS: false } : {}),
      auth,
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      socketTimeout: 120_000,
      clientInfo: { name: "badgedesk" },
    });
    // Without a listener a dropped connection would be an uncaught 'error' and stop the server.
    client.on("error", (error: unknown) => log.error("imap: connection error: %s", describeErrorForLog(error)));
    running.client = client;
    try {
      await client.connect();
    } catch (error) {
      if ((error as { authenticationFailed?: boolean }).authenticationFailed) {
        tokens?.forget(); // perhaps revoked early: exchange again next time
        throw new Error(`the IMAP server refused to sign in ${settings.auth.user} (${settings.auth.method === "password" ? "check IMAP_USER and IMAP_PASSWORD" : "check the OAuth2 client's IMAP permission and the token's user"})`);
      }
      throw error;
    }
    return client;
  }

  async function pollMailbox(running: { client: ImapFlow | null }): Promise<PollReport> {
    const report: PollReport = { imported: 0, alreadyStored: 0, failed: 0, tooLarge: 0, gaveUp: 0, remaining: 0 };
    const client = await connect(running);
    try {
      if (settings.processedMailbox) await client.mailboxCreate(settings.processedMailbox).catch(() => {}); // exists already, most times
      const lock = await client.getMailboxLock(settings.mailbox).catch((error: { responseText?: string; message?: string }) => {
        throw new Error(`the folder "${settings.mailbox}" (IMAP_MAILBOX) could not be opened: ${error.responseText ?? error.message}`);
      });
      try {
        const uidValidity = client.mailbox ? String(client.mailbox.uidValidity) : "";
        const unread = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
        // Tries of messages no longer unread (imported elsewhere, deleted, a new UIDVALIDITY) are forgotten.
        const unreadKeys = new Set(unread.map((uid) => `${uidValidity}:${uid}`));
        for (const key of attempts.keys()) if (!unreadKeys.has(key)) attempts.delete(key);
        const batch = unread.slice(0, MESSAGES_PER_POLL);
        report.remaining = unread.length - batch.length;
        if (batch.length === 0) return report;
        // Sizes first, so an oversized message is never downloaded. (No other command may run while a fetch is read.)
        const sizes = new Map<number, number>();
        for await (const message of client.fetch(batch.join(","), { uid: true, size: true }, { uid: true })) sizes.set(message.uid, message.size ?? 0);

        for (const uid of batch) {
          if (stopped) break;
          const size = sizes.get(uid);
          if (size === undefined) continue; // gone meanwhile (another client expunged it)
          const key = `${uidValidity}:${uid}`;
          if (size > config.inboundEmailMaxBytes) {
            log.error("imap: message UID %d in %s is %d bytes, over INBOUND_EMAIL_MAX_BYTES (%d): not imported, flagged for a person", uid, settings.mailbox, size, config.inboundEmailMaxBytes);
            await client.messageFlagsAdd(String(uid), ["\\Seen", "\\Flagged"], { uid: true });
            report.tooLarge++;
            continue;
          }
          const fetched = await client.fetchOne(String(uid), { source: true }, { uid: true });
          if (!fetched || !fetched.source) continue;
          let result: Awaited<ReturnType<typeof receiveEmail>>;
          try {
            result = await receiveEmail({ raw: fetched.source, via: "imap" });
          } catch (error) {
            // Not even stored (the database is away): this message and the rest wait for the next poll.
            log.error("imap: message UID %d could not be stored, kept for the next poll: %s", uid, describeErrorForLog(error));
            report.failed++;
            break;
          }
          if (!result.ok) {
            // Empty, or larger than its announced size said.
            log.error("imap: message UID %d in %s is %s: not imported, flagged for a person", uid, settings.mailbox, result.reason === "empty" ? "empty" : "over INBOUND_EMAIL_MAX_BYTES");
            await client.messageFlagsAdd(String(uid), ["\\Seen", "\\Flagged"], { uid: true });
            report.tooLarge++;
            continue;
          }
          if (result.status !== "processed") {
            const tries = (attempts.get(key) ?? 0) + 1;
            attempts.set(key, tries);
            if (tries < settings.maxAttempts) {
              report.failed++;
              continue; // stays unread: the next poll tries again
            }
            log.error("imap: message UID %d failed %d times (stored as inbound email %s): flagged for a person, no more tries", uid, tries, result.inboundEmailId);
            await client.messageFlagsAdd(String(uid), ["\\Seen", "\\Flagged"], { uid: true });
            attempts.delete(key);
            report.gaveUp++;
            continue;
          }
          // Stored and processed: only now is it marked read (and moved).
          await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
          if (settings.processedMailbox) await client.messageMove(String(uid), settings.processedMailbox, { uid: true });
          attempts.delete(key);
          if (result.duplicate) report.alreadyStored++;
          else report.imported++;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return report;
  }

  async function pollOnce(): Promise<PollOutcome> {
    const running: { client: ImapFlow | null; done: Promise<unknown> } = { client: null, done: Promise.resolve() };
    current = running;
    const done = runExclusively(IMAP_POLL_LOCK, () => pollMailbox(running));
    running.done = done.catch(() => {});
    try {
      const held = await done;
      return held ? { skipped: false, ...held.value } : { skipped: true };
    } finally {
      if (current === running) current = null;
    }
  }

  async function pollAndLog(): Promise<boolean> {
    try {
      const outcome = await pollOnce();
      if (outcome.skipped) {
        if (!skippedBefore) log.log("imap: another instance is polling the mailbox; this one waits its turn");
        skippedBefore = true;
        return false;
      }
      skippedBefore = false;
      const { imported, alreadyStored, failed, tooLarge, gaveUp, remaining } = outcome;
      if (imported + alreadyStored + failed + tooLarge + gaveUp > 0) log.log("imap: %j", { imported, alreadyStored, failed, tooLarge, gaveUp, remaining });
      return remaining > 0 && failed === 0;
    } catch (error) {
      log.error("imap: could not poll %s at %s: %s", settings.auth.user, settings.host, describeErrorForLog(error));
      return false;
    }
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    timer = setTimeout(async () => {
      const more = await pollAndLog();
      schedule(more ? 0 : settings.pollIntervalMs);
    }, delayMs);
    timer.unref();
  }

  return {
    pollOnce,
    start: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const running = current;
      if (!running) return;
      const finished = await Promise.race([running.done.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, STOP_WAIT_MS, false).unref())]);
      if (!finished) running.client?.close();
      await running.done;
    },
  };
}

/** Starts polling the mailbox; returns the function that stops it (server shutdown). */
export function startImapPolling(settings: ImapSettings): () => Promise<void> {
  const poller = createImapPoller(settings);
  poller.start();
  return () => poller.stop();
}
