// Test databases. With DATABASE_URL set, tests never touch that database itself: they use
// siblings named <name>_test (integration) and <name>_e2e (browser), created as needed.
import postgres from "postgres";

export function siblingDatabaseUrl(url: string, suffix: string): string {
  const parsed = new URL(url);
  const name = parsed.pathname.replace(/^\//, "") || "postgres";
  parsed.pathname = `/${name.endsWith(suffix) ? name : name + suffix}`;
  return parsed.toString();
}

function databaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, "");
}

export async function ensureDatabase(baseUrl: string, targetUrl: string, { fresh = false } = {}): Promise<void> {
  // Connect to the server's maintenance database: the base database itself may not exist yet.
  const maintenance = new URL(baseUrl);
  maintenance.pathname = "/postgres";
  const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
  const name = databaseName(targetUrl);
  try {
    if (fresh) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database "${name}"`);
  } catch (error) {
    // Two test files racing to create the same database: the other one won, which is fine.
    if ((error as { code?: string }).code !== "42P04" && (error as { code?: string }).code !== "23505") throw error;
  } finally {
    await admin.end({ timeout: 5 });
  }
}
