// `npm start`: builds when the build is missing or stale, migrates, seeds the demo data on first
// start, serves on PORT and shuts down gracefully on SIGTERM. With WEB_CONCURRENCY (PostgreSQL
// only), that many processes do so on one port (server/workers.ts).
import { pathToFileURL } from "node:url";
import { createServer, type Server } from "node:http";
import { appEntry } from "./app-entry";
import { BUILD_ENTRY, buildIfStale } from "./build";
import { gracefulStopper } from "./graceful-shutdown";
import { allProcessesListening, coreCount, isFirstWorker, serverProcessCount, shouldStartWorkers, startWorkers } from "./workers";

// Requests in flight at SIGTERM get this long to finish.
const SHUTDOWN_GRACE_MS = 10_000;

// What the operator declared counts for the start-up checks; the app itself always runs as production.
const declaredNodeEnv = process.env.NODE_ENV;
const declaredProduction = declaredNodeEnv === "production";
process.env.NODE_ENV = "production";

async function main() {
  const startedAt = Date.now();
  if (!buildIfStale()) {
    console.error("The build failed; see the messages above.");
    process.exit(1);
  }
  const build = await import(pathToFileURL(BUILD_ENTRY).href);
  const boot = appEntry(build);
  const { getConnection, closeConnection, pgliteDataDir, config, DEMO_PASSWORD } = boot;
  const { createRequestListener } = await import("./app");

  const secretProblem = boot.sessionSecretProblem({ secret: process.env.SESSION_SECRET, production: declaredProduction, appUrl: config.appUrl });
  if (secretProblem) {
    console.error(`badgedesk will not start: ${secretProblem}`);
    process.exit(1);
  }
  const imap = boot.imapSettingsFrom(process.env);
  if ("problems" in imap) {
    console.error(`badgedesk will not start: IMAP polling is configured wrongly (README, "Receiving by IMAP"):\n${imap.problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  const imapSettings = imap.enabled ? imap.settings : null;

  await boot.migrateDatabase();
  const demo = process.env.SEED_DEMO === "false" ? null : await boot.seedDemoData();
  await boot.prepareKnowledgeBase();
  // Worker 1 has migrated and seeded by now: the others are on their way.
  const everyProcessListens = allProcessesListening();
  let allListening = false;
  void everyProcessListens.then(() => (allListening = true));
  const listener = createRequestListener({ build, allProcessesListening: () => allListening });

  const port = Number(process.env.PORT ?? 3000);
  const server: Server = createServer();
  const stopper = gracefulStopper(server);
  server.on("request", stopper.onRequest);
  server.on("request", listener);
  server.listen(port, process.env.HOST ?? "0.0.0.0", async () => {
    // With several processes, the first one speaks for all, once all of them listen.
    if (!isFirstWorker()) return;
    await everyProcessListens;
    const { driver } = getConnection();
    console.log(`\nbadgedesk is running on ${config.appUrl}  (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    if (processes > 1) console.log(`${processes} server processes (${process.env.WEB_CONCURRENCY ? "WEB_CONCURRENCY" : "one per core; WEB_CONCURRENCY sets another number"})`);
    console.log(`Database: ${driver === "pglite" ? `embedded PGlite in ${pgliteDataDir()}` : "PostgreSQL (DATABASE_URL)"}`);
    console.log(config.smtpUrl ? "Mail: delivered over SMTP (SMTP_URL)" : `Mail: not sent; read it in the development mailbox at ${config.appUrl}/dev/mailbox`);
    if (imapSettings) console.log(`Incoming mail: polling ${boot.describeImapSettings(imapSettings)}`);
    if (demo) {
      console.log(`\nDemo sign-ins (password for every one: ${DEMO_PASSWORD})`);
      for (const person of demo.people) console.log(`  ${person.role.padEnd(8)} ${person.email.padEnd(34)} ${person.story}`);
    }
    console.log("");
  });
  server.keepAliveTimeout = 65_000;

  const stopMail = config.smtpUrl ? boot.startMailDelivery({ smtpUrl: config.smtpUrl, from: config.mailFrom }) : async () => {};

  const stopMaintenance = process.env.MAINTENANCE === "off" ? async () => {} : boot.startMaintenance();

  const stopImap = imapSettings ? boot.startImapPolling(imapSettings) : async () => {};

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing ${stopper.inFlight} request(s) in flight, then stopping.`);
    setTimeout(() => {
      console.error(`Requests still running after ${SHUTDOWN_GRACE_MS / 1000} s; exiting anyway.`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    // No new poll from now on; the one in progress finishes its message (it needs the pool).
    const imapStopped = stopImap();
    // Requests first (they may still queue mail and background work), then the rest, then the pool.
    await stopper.stop();
    await boot.settleBackgroundTasks();
    // Searches and views gathered in memory are written before the pool closes.
    await boot.flushReadingLog().catch(() => {});
    await stopMail();
    await stopMaintenance();
    await imapStopped;
    await closeConnection();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

const { count: processes, problem: concurrencyProblem, note: concurrencyNote } = serverProcessCount(process.env.WEB_CONCURRENCY, { cores: coreCount(), embeddedDatabase: !process.env.DATABASE_URL });
if (concurrencyProblem) {
  console.error(`badgedesk will not start: ${concurrencyProblem}`);
  process.exit(1);
}
if (concurrencyNote) console.log(concurrencyNote);
if (shouldStartWorkers(processes)) {
  // Workers make the same start-up checks, on what the operator declared.
  startWorkers(processes, { NODE_ENV: declaredNodeEnv ?? "" });
} else {
  main().catch((error) => {
    console.error("badgedesk could not start:", error);
    process.exit(1);
  });
}
