import { sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";

/** Empties every application table (not drizzle's migration journal). */
export async function resetDatabase(): Promise<void> {
  const tables = rows<{ tablename: string }>(await db.execute(sql`select tablename from pg_tables where schemaname = 'public'`));
  if (tables.length === 0) return;
  const list = tables.map((t) => `"public"."${t.tablename}"`).join(", ");
  await db.execute(sql.raw(`truncate ${list} restart identity cascade`));
}
