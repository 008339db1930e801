// No statement may hold a connection (and the request waiting on it) indefinitely, on either driver.
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { db, rows } from "#db/client.server";

test("every connection runs with a statement timeout (5 s unless DATABASE_STATEMENT_TIMEOUT_MS says otherwise)", async () => {
  const [row] = rows<{ statement_timeout: string }>(await db.execute(sql`show statement_timeout`));
  expect(row.statement_timeout).toBe("5s");
});
