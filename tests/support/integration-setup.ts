// Runs before each integration test file: points the app at a clean real database
// (PostgreSQL when DATABASE_URL is set, in-memory PGlite otherwise), migrated, and empties
// every table before each test.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { ensureDatabase, siblingDatabaseUrl } from "./databases";

if (process.env.DATABASE_URL) {
  const testUrl = siblingDatabaseUrl(process.env.DATABASE_URL, "_test");
  if (testUrl !== process.env.DATABASE_URL) await ensureDatabase(process.env.DATABASE_URL, testUrl);
  process.env.DATABASE_URL = testUrl;
} else {
  process.env.BADGEDESK_DATA_DIR = "memory://";
}
process.env.APP_URL = "http://badgedesk.test";
process.env.DEV_MAILBOX = "open";

const { closeConnection, migrateDatabase } = await import("#db/client.server");
const { resetDatabase } = await import("./reset-database");

beforeAll(async () => {
  await migrateDatabase();
});

beforeEach(async () => {
  await resetDatabase();
});

afterAll(async () => {
  await closeConnection();
});
