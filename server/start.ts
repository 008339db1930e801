// `npm start`: builds when the build is missing or stale, migrates, seeds the demo data on first
// start, serves on PORT and shuts down gracefully on SIGTERM.
import { pathToFileURL } from "node:url";
import { createServer, type Server } from "node:http";
import { BUILD_ENTRY, buildIfStale } from "./build";

// What the operator declared counts for the start-up checks; the app itself always runs as production.
const declaredProduction = process.env.NODE_ENV === "production";
process.env.NODE_ENV = "production";

async function main() {
  const startedAt = Date.now();
  if (!buildIfStale()) {
    console.error("The build failed; see the messages above.");
    process.exit(1);
  }
  const build = await import(pathToFileURL(BUILD_ENTRY).href);
  const boot = build.entry.module as typeof import("../app/entry.server");
  const { getConnection, closeConnection, pgliteDataDir, config, DEMO_PASSWORD } = boot;
  const { createRequestListener } = await import("./app");

  const secretProblem = boot.sessionSecretProblem({ secret: process.env.SESSION_SECRET, production: declaredProduction, appUrl: config.appUrl });
  if (secretProblem) {
    console.error(`badgedesk will not start: ${secretProblem}`);
    process.exit(1);
  }

  await boot.migrateDatabase();
  const demo = process.env.SEED_DEMO === "false" ? null : await boot.seedDemoData();
  await boot.prepareKnowledgeBase();
  const listener = createRequestListener({ build });

  const port = Number(process.env.PORT ?? 3000);
  const server: Server = createServer(listener).listen(port, process.env.HOST ?? "0.0.0.0", () => {
    const { driver } = getConnection();
    console.log(`\nbadgedesk is running on ${config.appUrl}  (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    console.log(`Database: ${driver === "pglite" ? `embedded PGlite in ${pgliteDataDir()}` : "PostgreSQL (DATABASE_URL)"}`);
    console.log(config.smtpUrl ? "Mail: delivered over SMTP (SMTP_URL)" : `Mail: not sent; read it in the development mailbox at ${config.appUrl}/dev/mailbox`);
    if (demo) {
      console.log(`\nDemo sign-ins (password for every one: ${DEMO_PASSWORD})`);
      for (const person of demo.people) console.log(`  ${person.role.padEnd(8)} ${person.email.padEnd(34)} ${person.story}`);
    }
    console.log("");
  });
  server.keepAliveTimeout = 65_000;

  const stopMail = config.smtpUrl ? boot.startMailDelivery({ smtpUrl: config.smtpUrl, from: config.mailFrom }) : async () => {};

  let inFlight = 0;
  server.on("request", (_req, res) => {
    inFlight++;
    res.on("close", () => inFlight--);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing ${inFlight} request(s) in flight, then stopping.`);
    // close() stops accepting connections and waits for in-flight requests to finish.
    server.close(async () => {
      await stopMail();
      await closeConnection();
      process.exit(0);
    });
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    idleSweep.unref();
    setTimeout(() => {
      console.error("Requests still running after 20 s; exiting anyway.");
      process.exit(1);
    }, 20_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error) => {
  console.error("badgedesk could not start:", error);
  process.exit(1);
});
