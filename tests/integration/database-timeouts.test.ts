// No statement may hold a connection (and the request waiting on it) indefinitely, on either driver.
import { spawn } from "node:child_process";
import net from "node:net";
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { db, rows } from "#db/client.server";

test("every connection runs with a statement timeout (5 s unless DATABASE_STATEMENT_TIMEOUT_MS says otherwise)", async () => {
  const [row] = rows<{ statement_timeout: string }>(await db.execute(sql`show statement_timeout`));
  expect(row.statement_timeout).toBe("5s");
});

test("a PostgreSQL that accepts connections and never answers is given up within the connect timeout, by the pool and by the migration", async () => {
  // A host that takes the TCP connection and then says nothing (a paused database, a proxy dropping bytes).
  const silent = net.createServer((socket) => socket.on("error", () => {}));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as net.AddressInfo;
  const script = `
    const { migrateDatabase, pingDatabase } = await import("./db/client.server.ts");
    const timed = async (work) => { const started = Date.now(); await work().catch(() => {}); return Date.now() - started; };
    console.log(JSON.stringify({ pool: await timed(pingDatabase), migration: await timed(migrateDatabase) }));
    process.exit(0);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { ...process.env, DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/nothing`, DATABASE_CONNECT_TIMEOUT_S: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  await new Promise((resolve) => child.once("exit", resolve));
  silent.close();
  const waited = JSON.parse(output.trim().split("\n").at(-1)!) as { pool: number; migration: number };
  // postgres.js would wait 30 s without the setting.
  expect(waited.pool).toBeLessThan(5000);
  expect(waited.migration).toBeLessThan(5000);
}, 40_000);
