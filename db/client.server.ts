// One `db` object over two drivers: postgres.js against a real PostgreSQL when DATABASE_URL is
// set, embedded PGlite (a data folder on disk) otherwise, so a newcomer needs no server.
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, PostgresJsSession, PostgresJsTransaction, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { singleton, takeSingleton } from "~/lib/singleton.server";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** The handle a module receives inside `db.transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or an open transaction: what query helpers accept. */
export type Executor = Database | Transaction;

interface Connection {
  db: Database;
  driver: "postgres" | "pglite";
  close(): Promise<void>;
  /** Drops every connection at once, failing the queries on them (PGlite: nothing to drop). */
  abort(): Promise<void>;
}

/** DATABASE_STATEMENT_TIMEOUT_MS, 5 s by default: the longest any one statement may run. */
function statementTimeoutMs(): number {
  const value = Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS ?? 5000);
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 5000;
}

/** How long to wait for a PostgreSQL connection (DATABASE_CONNECT_TIMEOUT_S, 3 s), for every client we open. */
function connectTimeoutSeconds(): number {
  const value = Number(process.env.DATABASE_CONNECT_TIMEOUT_S ?? 3);
  return Number.isFinite(value) && value > 0 ? value : 3;
}

/**
 * DATABASE_POOL_SIZE, 6 by default: PostgreSQL connections per server process. More requests in
 * flight than connections is fine: postgres.js then sends a statement on a busy connection behind
 * the one running (a pipeline), and one PostgreSQL backend serves several statements per wake-up.
 * With 16 agents on two cores, 6 connections cost 15–25 % less CPU per request in PostgreSQL than
 * 10 or 16 (one backend per request in flight, each woken for every statement), with higher
 * throughput; 4 left statements queued behind durable commits (BENCHMARKS.md, speed round 5).
 */
function poolSize(): number {
  const value = Number(process.env.DATABASE_POOL_SIZE ?? 6);
  return Number.isInteger(value) && value > 0 ? value : 6;
}

// The server runs from the repository root (npm scripts do), in tsx and in the built bundle alike.
export function migrationsFolder(): string {
  return path.resolve(process.cwd(), "db/migrations");
}

export function pgliteDataDir(): string {
  return process.env.BADGEDESK_DATA_DIR ?? path.resolve(process.cwd(), ".data/pglite");
}

function connect(): Connection {
  const url = process.env.DATABASE_URL;
  if (url) {
    const client = postgres(url, {
      max: poolSize(),
      onnotice: () => {},
      connect_timeout: connectTimeoutSeconds(),
      // Sent at connection start: a query (or a transaction left open) can't hold a connection,
      // and the request waiting on it, for longer than this.
      connection: { statement_timeout: statementTimeoutMs(), idle_in_transaction_session_timeout: 4 * statementTimeoutMs() },
    });
    return {
      db: drizzlePostgres(preparedStatements(client), { schema }),
      driver: "postgres",
      close: () => client.end({ timeout: 5 }),
      abort: () => client.end({ timeout: 0 }),
    };
  }
  const dataDir = pgliteDataDir();
  if (dataDir !== "memory://") fs.mkdirSync(dataDir, { recursive: true });
  const client = dataDir === "memory://" ? new PGlite() : new PGlite(dataDir);
  // Queued before any other statement on PGlite's single connection.
  void client.exec(`set statement_timeout = ${statementTimeoutMs()}`);
  // The two drivers expose the same query builder; only the raw result shapes differ (see rows()).
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return { db, driver: "pglite", close: () => client.close(), abort: async () => {} };
}

/**
 * The client drizzle talks to, with every statement sent as a named prepared statement (parsed
 * and planned once per connection, then only bound and executed). drizzle sends its statements
 * unprepared unless each one is built with `.prepare(name)`, and postgres.js then needs two round
 * trips for any statement with parameters (describe, then execute) and PostgreSQL plans it anew
 * every time: on the agent desk's pages that was most of the database's work per request
 * (BENCHMARKS.md). Transactions and savepoints hand their own client to the callback, so it is
 * wrapped the same way. Statements are cached per connection by their text; ours have a fixed
 * set of shapes (values are always parameters), and connections are recycled (max_lifetime).
 */
function preparedStatements(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property) {
      if (property === "unsafe") {
        return (query: string, parameters: unknown[] = [], options: Record<string, unknown> = {}) =>
          target.unsafe(query, parameters as postgres.ParameterOrJSON<never>[], { ...options, prepare: true });
      }
      if (property === "begin" || property === "savepoint") {
        const start = Reflect.get(target, property) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const callback = args.pop() as (tx: postgres.Sql) => unknown;
          return start(...args, (tx: postgres.Sql) => callback(preparedStatements(tx)));
        };
      }
      return Reflect.get(target, property);
    },
  });
}

// One connection per process, also across the dev server's hot reloads: two PGlite instances on
// one data folder would corrupt it.
export function getConnection(): Connection {
  return singleton("database", connect);
}

/**
 * Throws the PostgreSQL pool away when the database stopped answering: its connections may hang
 * on a network that drops packets, and every query behind them would hang too. The next query
 * connects afresh. PGlite keeps its one in-process connection.
 */
export function abandonConnection(): void {
  const connection = takeSingleton<Connection>("database");
  if (!connection) return;
  if (connection.driver !== "postgres") {
    singleton("database", () => connection);
    return;
  }
  connection.abort().catch(() => {});
}

export async function closeConnection(): Promise<void> {
  await takeSingleton<Connection>("database")?.close();
}

/** The application's database, connected on first use. */
export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const real = getConnection().db as unknown as Record<PropertyKey, unknown>;
    const value = Reflect.get(real, property, real);
    return typeof value === "function" ? value.bind(real) : value;
  },
});

/** Rows of a raw `execute`, whichever driver ran it. */
export function rows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

// Any number of app instances may start at once; one of them migrates, the others wait on an
// advisory lock held by a dedicated connection.
const MIGRATION_LOCK = 7_351_202;

export async function migrateDatabase(): Promise<void> {
  const { db, driver } = getConnection();
  if (driver === "pglite") {
    await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
    return;
  }
  // No statement timeout here (a migration may take long), but an unreachable database fails fast.
  const client = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, connect_timeout: connectTimeoutSeconds() });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: migrationsFolder() });
  } finally {
    await client.end({ timeout: 5 });
  }
}

export async function pingDatabase(): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

// Keys held by this process (PGlite only: its one session would grant an advisory lock twice).
const heldInProcess = new Set<number>();

/**
 * Runs `work` unless another holder of `key` is running it, here or on another instance; null
 * when it was skipped. For work that spans many transactions on the pool (the IMAP poll), so a
 * transaction-scoped lock can't hold it: on PostgreSQL a session advisory lock on a connection of
 * its own, which PostgreSQL releases by itself if the instance dies; on PGlite (one process by
 * design) a mark in memory.
 */
export async function runExclusively<T>(key: number, work: () => Promise<T>): Promise<{ value: T } | null> {
  if (getConnection().driver === "pglite") {
    if (heldInProcess.has(key)) return null;
    heldInProcess.add(key);
    try {
      return { value: await work() };
    } finally {
      heldInProcess.delete(key);
    }
  }
  const client = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, connect_timeout: connectTimeoutSeconds() });
  try {
    const [row] = await client<{ locked: boolean }[]>`select pg_try_advisory_lock(${key}) as locked`;
    if (!row?.locked) return null;
    return { value: await work() };
  } finally {
    // Closing the session releases its lock.
    await client.end({ timeout: 5 });
  }
}

/** Rows of the statements a transaction sent together, one list per statement, in order. */
type StatementRows = Record<string, unknown>[][];

/** A transaction that sends its statements in batches (transactionInBatches). */
export interface BatchedTransaction {
  /**
   * Sends the statements together and returns their rows. PostgreSQL runs them one after the
   * other, each with a snapshot of its own: one sent behind a statement that waits for a row lock
   * sees everything committed before the lock was granted, as if it had been sent after it. The
   * first batch goes out behind BEGIN before its answer is known: reads (and row locks) only.
   */
  send(...statements: SQL[]): Promise<StatementRows>;
  /** Sends the transaction's last statements together with its COMMIT. Nothing may be sent after. */
  sendAndCommit(...statements: SQL[]): Promise<StatementRows>;
  /** The same transaction for helpers that take a drizzle handle (each of their statements a round trip of its own), once send() has begun it. */
  readonly tx: Executor;
}

const pgDialect = new PgDialect();

/**
 * A transaction in as few round trips as its statements allow. drizzle's transaction waits for
 * the answer to BEGIN before the first statement and for the last statement's before COMMIT; each
 * round trip is a socket write and a wake-up on both sides (the public reply: 6 round trips → 3,
 * app server CPU −6 %, BENCHMARKS.md, speed round 5). Here, on PostgreSQL, BEGIN goes out with the first batch and
 * COMMIT with the last: a two-step transaction (read under a lock, then write) is two round trips
 * instead of five. Only reads may ride behind BEGIN (send() waits for every answer, BEGIN's too,
 * before it returns, so no write goes out before the transaction is known to be open); a
 * statement that fails in the last batch makes the COMMIT behind it end the transaction as a
 * ROLLBACK, and the statement's error is thrown. On any error the transaction is rolled back.
 * Statements are named prepared statements, as everywhere (preparedStatements). On PGlite (one
 * in-process connection, no round trips) it is an ordinary transaction.
 */
export async function transactionInBatches<T>(work: (transaction: BatchedTransaction) => Promise<T>): Promise<T> {
  const connection = getConnection();
  if (connection.driver === "pglite") {
    return connection.db.transaction(async (tx) => {
      const send = async (...statements: SQL[]) => {
        const results: StatementRows = [];
        for (const statement of statements) results.push(rows<Record<string, unknown>>(await tx.execute(statement)));
        return results;
      };
      return work({ send, sendAndCommit: send, tx });
    });
  }
  const client = (connection.db as Database & { $client: postgres.Sql }).$client;
  const reserved = await client.reserve();
  // Each query is handed to the connection a microtask after it is started, in the order started:
  // started one after the other here, they reach the connection (and PostgreSQL) in this order,
  // and go out in one write.
  const start = (statement: SQL | string) => {
    if (typeof statement === "string") return reserved.unsafe(statement).execute();
    const { sql: text, params } = pgDialect.sqlToQuery(statement);
    return reserved.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute();
  };
  let begun = false;
  let ended = false;
  const batch = async (statements: SQL[], commit: boolean): Promise<StatementRows> => {
    if (ended) throw new Error("The transaction has already been committed");
    const pending: Promise<unknown>[] = [];
    if (!begun) pending.push(start("begin"));
    begun = true;
    const first = pending.length;
    for (const statement of statements) pending.push(start(statement));
    if (commit) {
      ended = true;
      pending.push(start("commit"));
    }
    // Every answer is waited for (a failed statement's too) before the error is thrown.
    const settled = await Promise.allSettled(pending);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    return settled.slice(first, first + statements.length).map((s) => (s as PromiseFulfilledResult<Record<string, unknown>[]>).value);
  };
  // What drizzle's own transaction hands its callback, on the reserved connection.
  const tx = new PostgresJsTransaction(pgDialect, new PostgresJsSession(preparedStatements(reserved), pgDialect, undefined) as never, undefined) as unknown as Transaction;
  let result: T;
  try {
    result = await work({
      send: (...statements) => batch(statements, false),
      sendAndCommit: (...statements) => batch(statements, true),
      get tx() {
        // Before the first batch, BEGIN has not gone out: a statement would run outside the transaction.
        if (!begun || ended) throw new Error("tx is for use between send() and sendAndCommit()");
        return tx;
      },
    });
    if (!ended) await batch([], true);
  } catch (error) {
    // Ends the transaction (a warning only when COMMIT already ended it); a connection that can't
    // answer that is broken, and postgres.js has already closed it: it must not go back to the pool.
    if (begun) {
      const usable = await reserved.unsafe("rollback").then(() => true, () => false);
      if (usable) reserved.release();
    } else reserved.release();
    throw error;
  }
  reserved.release();
  return result;
}
