// transactionInBatches (db/client.server.ts): a transaction whose statements go out in batches,
// BEGIN with the first, COMMIT with the last. What it must keep of a transaction: all or nothing.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { db, rows, transactionInBatches } from "#db/client.server";

const kept = async (key: string) =>
  rows<{ n: number | string }>(await db.execute(sql`select count(*) as n from rate_limits where key = ${key}`)).map((r) => Number(r.n))[0];
const insert = (key: string) => sql`insert into rate_limits (key, count, window_started_at) values (${key}, 1, now())`;

test("batches return each statement's rows, and what they wrote is committed", async () => {
  const key = `batch:${randomUUID()}`;
  const answers = await transactionInBatches(async ({ send, sendAndCommit }) => {
    const [[one], [two]] = await send(sql`select 1 as one`, sql`select 2 as two`);
    const [[inserted]] = await sendAndCommit(sql`${insert(key)} returning key`);
    return { one, two, inserted };
  });
  expect(answers).toMatchObject({ one: { one: 1 }, two: { two: 2 }, inserted: { key } });
  expect(await kept(key)).toBe(1);
});

test("a statement that fails in the last batch rolls back what the batches before it wrote", async () => {
  const key = `batch:${randomUUID()}`;
  await expect(
    transactionInBatches(async ({ send, sendAndCommit }) => {
      await send(insert(key));
      await sendAndCommit(sql`select 1 / 0`);
    }),
  ).rejects.toThrow();
  expect(await kept(key)).toBe(0);
});

test("a statement that fails in the last batch undoes the statements before it in that batch", async () => {
  const key = `batch:${randomUUID()}`;
  await expect(transactionInBatches(({ sendAndCommit }) => sendAndCommit(insert(key), sql`select 1 / 0`))).rejects.toThrow();
  expect(await kept(key)).toBe(0);
});

test("an error thrown between batches rolls back, and the connection serves the next transaction", async () => {
  const key = `batch:${randomUUID()}`;
  await expect(
    transactionInBatches(async ({ send }) => {
      await send(insert(key));
      throw new Error("changed my mind");
    }),
  ).rejects.toThrow("changed my mind");
  expect(await kept(key)).toBe(0);
  const [[row]] = await transactionInBatches(({ sendAndCommit }) => sendAndCommit(sql`select 1 as fine`));
  expect(row).toEqual({ fine: 1 });
});

test("statements of a helper taking a drizzle handle join the transaction", async () => {
  const key = `batch:${randomUUID()}`;
  await expect(
    transactionInBatches(async (transaction) => {
      await transaction.send(sql`select 1`);
      await transaction.tx.execute(insert(key));
      throw new Error("roll it back");
    }),
  ).rejects.toThrow("roll it back");
  expect(await kept(key)).toBe(0);
});
