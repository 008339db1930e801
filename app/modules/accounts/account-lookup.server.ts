// The award-state query layer: one statement per lookup (account-lookup-sql.ts), shared by the
// learner's My badges page, the agent's account panel and ticket suggestions.
import { sql, type SQL } from "drizzle-orm";
import type { Sql } from "postgres";
import { db, getConnection, rows, type Executor } from "#db/client.server";
import { isUuid } from "~/lib/uuid";
import { catalogNames } from "./badge-catalog.server";
import { LOOKUP_BY_ACCOUNT_SQL, LOOKUP_BY_EMAIL_SQL } from "./account-lookup-sql";
import { agentSnapshot, catalogIdsOf, learnerSnapshot, lookupFromRow, mayBeWaitingLines, withStates, type AccountLookup, type AwardWithState, type LookupRow } from "./account-lookup";
import { diagnose, summarizeFindings, type AccountSnapshot, type Finding } from "./diagnosis";

export type AccountKey = { accountId: string } | { email: string };
export type Audience = "learner" | "agent";


/** The statement with its one parameter, as text for the driver (and as SQL for drizzle, on demand). */
function withParameter(text: string, value: string) {
  return {
    text,
    value,
    query: () => {
      const [before, after, extra] = text.split("$1");
      if (after === undefined || extra !== undefined) throw new Error("The lookup statement must use $1 exactly once");
      return sql`${sql.raw(before)}${value}${sql.raw(after)}`;
    },
  };
}

/**
 * The account with its addresses, pending address moves, every award to them or to their likely
 * misspellings, revocation history and pathway invitations; null when no account matches.
 * By email: any address of the account, in any case, verified or not.
 */
export async function loadAccountLookup(key: AccountKey, executor: Executor = db): Promise<AccountLookup | null> {
  let statement;
  if ("accountId" in key) {
    if (!isUuid(key.accountId)) return null;
    statement = withParameter(LOOKUP_BY_ACCOUNT_SQL, key.accountId);
  } else {
    const email = typeof key.email === "string" ? key.email.trim() : "";
    if (!email) return null;
    statement = withParameter(LOOKUP_BY_EMAIL_SQL, email);
  }
  const [row] = await runLookup(statement, executor);
  if (!row) return null;
  return lookupFromStatementRow(row, executor);
}

/** The lookup from its statement's row, read by a caller's statement (LOOKUP_AFTER_TARGET_SQL). */
export async function lookupFromStatementRow(row: LookupRow, executor: Executor = db): Promise<AccountLookup> {
  return lookupFromRow(row, await catalogNames(catalogIdsOf(row), executor));
}

/**
 * Outside a transaction on PostgreSQL the statement goes straight to postgres.js as a named
 * prepared statement, planned once per connection (planning this many CTEs costs several times
 * more than running them). drizzle's execute() prepares it too now (db/client.server.ts), but
 * measured side by side the direct call keeps the lookup's p99 at about half (BENCHMARKS.md,
 * Structure): this is the platform's busiest statement. PGlite and transactions take drizzle.
 */
async function runLookup(statement: { text: string; value: string; query: () => SQL }, executor: Executor): Promise<LookupRow[]> {
  if (executor === db) {
    const connection = getConnection();
    if (connection.driver === "postgres") {
      const client = (connection.db as typeof connection.db & { $client: Sql }).$client;
      return (await client.unsafe(statement.text, [statement.value], { prepare: true })) as unknown as LookupRow[];
    }
  }
  return rows<LookupRow>(await executor.execute(statement.query()));
}

/** The account holding an address (any case, verified or not), with that address as stored. */
export async function findAccountByAnyEmail(email: string) {
  const address = typeof email === "string" ? email.trim() : "";
  if (!address) return null;
  const result = await db.execute(sql`
    select a.id as "accountId", a.name, a.disabled_at is not null as disabled,
           e.id as "emailId", e.email, e.verified_at is not null as verified, e.is_primary as "primary"
    from account_emails e join accounts a on a.id = e.account_id
    where lower(e.email) = lower(${address})
    limit 1`);
  const [row] = rows<{ accountId: string; name: string; disabled: boolean; emailId: string; email: string; verified: boolean; primary: boolean }>(result);
  if (!row) return null;
  return {
    accountId: row.accountId,
    name: row.name,
    disabled: row.disabled,
    matchedEmail: { id: row.emailId, email: row.email, verified: row.verified, primary: row.primary },
  };
}

/**
 * The diagnosis engine's input for an account. The learner's audience leaves out awards to
 * misspellings that another account holds (see learnerSnapshot).
 */
export async function loadAccountSnapshot(key: AccountKey, { audience = "agent" }: { audience?: Audience } = {}): Promise<AccountSnapshot | null> {
  const lookup = await loadAccountLookup(key);
  if (!lookup) return null;
  return audience === "learner" ? learnerSnapshot(lookup) : agentSnapshot(lookup);
}

export interface AccountAwardStates {
  lookup: AccountLookup;
  awards: AwardWithState[];
}

/** Each award that belongs to the account's addresses, with its state; null for no account. */
export async function awardStatesForAccount(key: AccountKey, { now = new Date() }: { now?: Date } = {}): Promise<AccountAwardStates | null> {
  const lookup = await loadAccountLookup(key);
  if (!lookup) return null;
  return { lookup, awards: withStates(lookup.awards, now) };
}

/**
 * The findings for an account and their one-line summary, e.g. for suggesting articles when the
 * learner files a ticket. Learner audience by default: nothing about other people's badges.
 */
export async function getAccountDiagnosis({
  accountId,
  audience = "learner",
  now = new Date(),
}: {
  accountId: string;
  audience?: Audience;
  now?: Date;
}): Promise<{ findings: Finding[]; summary: string[] }> {
  const lookup = await loadAccountLookup({ accountId });
  if (!lookup) return { findings: [], summary: [] };
  const learner = audience === "learner";
  const findings = diagnose(learner ? learnerSnapshot(lookup) : agentSnapshot(lookup), now);
  return { findings, summary: [...(learner ? mayBeWaitingLines(lookup) : []), ...summarizeFindings(findings)] };
}
