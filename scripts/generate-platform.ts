// A large badge platform for the accounts benchmarks, generated inside PostgreSQL with
// INSERT … SELECT generate_series into a database of its own (default bd_platform), with the
// app's own migrations, so its indexes are exactly the app's.
//
//   npx tsx scripts/generate-platform.ts [--accounts 1000000] [--addresses 1500000]
//     [--awards 5000000] [--revocations 100000] [--tickets 100000] [--database bd_platform]
//     [--server postgres://postgres@127.0.0.1:5432]
//
// Deterministic: address number i is platformAddress(i) (and the same SQL expression), so the
// benchmark can pick random existing addresses without reading them back. Awards go to random
// addresses, some in other capitals, 2 % to misspellings or to addresses on no account; one
// extra learner, heavy.learner@gmail.com, holds 500 awards in every state. The help desk side:
// BENCH_AGENTS agents (bench.agent<n>@badgedesk.example) and tickets from learners, four messages
// each, mostly resolved or closed as in a help desk that has run for a year.
import { pathToFileURL } from "node:url";
import path from "node:path";
import { parseArgs } from "node:util";
import { createHash } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const PLATFORM_DOMAINS = ["gmail.com", "outlook.com", "example.org", "school.example.edu", "yahoo.com", "hotmail.com", "uni.example.ac.uk"];
export const HEAVY_LEARNER = "heavy.learner@gmail.com";

/** Address number i (1-based), lower case, as JavaScript computes it. */
export function platformAddress(i: number): string {
  return `learner${i}@${PLATFORM_DOMAINS[i % PLATFORM_DOMAINS.length]}`;
}

/** The same address as an SQL expression of an integer expression. */
export function platformAddressSql(i: string): string {
  const domains = PLATFORM_DOMAINS.map((d) => `'${d}'`).join(", ");
  return `('learner' || (${i}) || '@' || (array[${domains}])[(${i}) % ${PLATFORM_DOMAINS.length} + 1])`;
}

export interface PlatformSize {
  accounts: number;
  addresses: number;
  awards: number;
  revocations: number;
  tickets: number;
}

export const DEFAULT_SIZE: PlatformSize = { accounts: 1_000_000, addresses: 1_500_000, awards: 5_000_000, revocations: 100_000, tickets: 100_000 };

export const BENCH_AGENTS = 20;
export const benchAgentEmail = (n: number) => `bench.agent${n}@badgedesk.example`;
export const benchAgentId = (n: number) => agentUuid(n);
// md5('agent' || n) as a uuid, the same expression the SQL below uses.
function agentUuid(n: number): string {
  const h = createHash("md5").update(`agent${n}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function platformDatabaseUrl(server = "postgres://postgres@127.0.0.1:5432", database = "bd_platform"): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

// Tables this script fills; their secondary indexes are dropped for the load and rebuilt after.
const FILLED = ["accounts", "account_emails", "issuers", "badge_classes", "awards", "revocations", "pathways", "pathway_invitations", "tickets", "ticket_messages", "ticket_events", "account_roles"];

async function generate({ server, database, size }: { server: string; database: string; size: PlatformSize }) {
  const { accounts: N, addresses: A, awards: M, revocations: R, tickets: T } = size;
  if (A < N) throw new Error("--addresses must be at least --accounts: every account has an address");
  const started = Date.now();
  const step = async (label: string, work: () => Promise<unknown>) => {
    const t = Date.now();
    await work();
    console.log(`  ${label.padEnd(44)} ${((Date.now() - t) / 1000).toFixed(1).padStart(6)} s`);
  };

  const maintenance = postgres(platformDatabaseUrl(server, "postgres"), { max: 1, onnotice: () => {} });
  await maintenance.unsafe(`drop database if exists "${database}" with (force)`);
  await maintenance.unsafe(`create database "${database}"`);
  await maintenance.end();

  const url = platformDatabaseUrl(server, database);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  console.log(`Generating into ${url}: ${N.toLocaleString("en")} accounts, ${A.toLocaleString("en")} addresses, ${M.toLocaleString("en")} awards, ${R.toLocaleString("en")} revocations`);
  await step("migrations", () => migrate(drizzle(sql), { migrationsFolder: path.resolve(import.meta.dirname, "../db/migrations") }));

  const indexes = await sql<{ name: string; definition: string }[]>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = 'public' and i.tablename in ${sql(FILLED)}
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
  await sql.unsafe(indexes.map((i) => `drop index "${i.name}";`).join("\n"));
  // Foreign keys are checked by triggers; the generated rows are consistent by construction.
  await sql.unsafe("set session_replication_role = replica");

  const address = (i: string) => platformAddressSql(i);
  const uuid = (kind: string, n: string) => `md5('${kind}' || (${n}))::uuid`;
  const DAY = "interval '1 day'";

  await step("issuers, badge classes, pathways", () =>
    sql.unsafe(`
      insert into issuers (id, name, url, contact_email)
        select ${uuid("issuer", "n")}, 'Issuer ' || n, 'https://issuer' || n || '.example', 'badges@issuer' || n || '.example'
        from generate_series(1, 500) n;
      insert into badge_classes (id, issuer_id, name, description)
        select ${uuid("badge", "n")}, ${uuid("issuer", "n % 500 + 1")}, 'Badge ' || n, 'What badge ' || n || ' certifies.'
        from generate_series(1, 10000) n;
      insert into pathways (id, issuer_id, name)
        select ${uuid("pathway", "n")}, ${uuid("issuer", "n % 500 + 1")}, 'Pathway ' || n from generate_series(1, 1000) n;`),
  );
  await step("accounts", () =>
    sql.unsafe(`
      insert into accounts (id, name, created_at)
        select ${uuid("account", "n")}, 'Learner ' || n, now() - (n % 2000) * ${DAY} from generate_series(1, ${N}) n`),
  );
  // Address i ≤ N is account i's primary; the rest are second addresses, a third of them unverified.
  // One in ten is stored with capitals, as people type them.
  await step("account emails", () =>
    sql.unsafe(`
      insert into account_emails (id, account_id, email, verified_at, is_primary, created_at)
        select ${uuid("email", "i")},
               ${uuid("account", `case when i <= ${N} then i else (i - ${N} - 1) % ${N} + 1 end`)},
               case when i % 10 = 0 then initcap(${address("i")}) else ${address("i")} end,
               case when i <= ${N} or i % 3 <> 0 then now() - (i % 1500) * ${DAY} end,
               i <= ${N},
               now() - (i % 1800) * ${DAY}
        from generate_series(1, ${A}) i`),
  );
  // Award j goes to a pseudo-random address; 1 in 9 written in capitals; 1 in 50 misspelt
  // (gmail → gmial) or sent to an address nobody has.
  await step("awards", () =>
    sql.unsafe(`
      insert into awards (id, badge_class_id, recipient_email, issued_on, expires_at, removed_by_learner_at)
        select ${uuid("award", "j")}, ${uuid("badge", "j % 10000 + 1")},
               case when j % 50 = 0 then
                      case when ${address("a")} like '%@gmail.com' then replace(${address("a")}, '@gmail.com', '@gmial.com')
                           else 'nobody' || j || '@example.net' end
                    when j % 9 = 0 then upper(${address("a")})
                    else ${address("a")} end,
               now() - (j % 1000) * ${DAY},
               case when j % 20 = 0 then now() + ((j % 800) - 400) * ${DAY} end,
               case when j % 100 = 1 then now() - (j % 30) * ${DAY} end
        from (select j, (j::bigint * 2654435761 % ${A}) + 1 as a from generate_series(1, ${M}) j) s`),
  );
  await step("revocations", () =>
    sql.unsafe(`
      insert into revocations (award_id, reason, revoked_by, revoked_at, reinstated_at, reinstatement_authorised_by, reinstatement_reference)
        select ${uuid("award", `(k::bigint * 49) % ${M} + 1`)}, 'Revoked in the generator (' || k || ')', 'Registrar', now() - (k % 300) * ${DAY},
               case when k % 10 = 0 then now() - (k % 300 - 1) * ${DAY} end,
               case when k % 10 = 0 then 'Dean of Studies' end,
               case when k % 10 = 0 then 'AUTH-' || k end
        from generate_series(1, ${R}) k`),
  );
  await step("pathway invitations", () =>
    sql.unsafe(`
      insert into pathway_invitations (pathway_id, email, status, sent_at)
        select ${uuid("pathway", "k % 1000 + 1")}, ${address(`(k::bigint * 40503 % ${A}) + 1`)},
               (array['pending', 'accepted', 'cancelled'])[k % 3 + 1], now() - (k % 400) * ${DAY}
        from generate_series(1, ${Math.max(1, Math.floor(N / 5))}) k`),
  );
  await step("the learner with 500 awards", () =>
    sql.unsafe(`
      insert into accounts (id, name) values (${uuid("account", "'heavy'")}, 'Heavy Learner');
      insert into account_emails (account_id, email, verified_at, is_primary) values
        (${uuid("account", "'heavy'")}, '${HEAVY_LEARNER}', now(), true),
        (${uuid("account", "'heavy'")}, 'heavy.learner@school.example.edu', null, false);
      insert into awards (id, badge_class_id, recipient_email, issued_on, expires_at, removed_by_learner_at)
        select ${uuid("heavy-award", "n")}, ${uuid("badge", "n % 10000 + 1")},
               (array['${HEAVY_LEARNER}', 'Heavy.Learner@Gmail.com', 'heavy.learner@school.example.edu', 'heavy.learner@gmial.com'])[n % 4 + 1],
               now() - n * ${DAY}, case when n % 10 = 0 then now() - ${DAY} end, case when n % 25 = 0 then now() end
        from generate_series(1, 500) n;
      insert into revocations (award_id, reason, revoked_by, revoked_at)
        select ${uuid("heavy-award", "n")}, 'Revoked', 'Registrar', now() - ${DAY} from generate_series(7, 500, 31) n;`),
  );
  await step(`${BENCH_AGENTS} agents`, () =>
    sql.unsafe(`
      insert into accounts (id, name) select ${uuid("agent", "n")}, 'Bench Agent ' || n from generate_series(1, ${BENCH_AGENTS}) n;
      insert into account_emails (account_id, email, verified_at, is_primary)
        select ${uuid("agent", "n")}, 'bench.agent' || n || '@badgedesk.example', now(), true from generate_series(1, ${BENCH_AGENTS}) n;
      insert into account_roles (account_id, role) select ${uuid("agent", "n")}, 'agent' from generate_series(1, ${BENCH_AGENTS}) n;`),
  );
  // Ticket t: 8 % new, 8 % open, 6 % pending, the rest resolved or closed; half of the open ones
  // assigned. awaiting_since is what the ticket_messages trigger (off during the load) would say.
  const status = "(case when t % 50 < 4 then 'new' when t % 50 < 8 then 'open' when t % 50 < 11 then 'pending' when t % 2 = 0 then 'resolved' else 'closed' end)";
  const createdAt = `(now() - (t % 365) * ${DAY} - (t % 1440) * interval '1 minute')`;
  await step(`tickets (${T.toLocaleString("en")})`, () =>
    sql.unsafe(`
      insert into tickets (id, reference, account_id, requester_name, requester_email, category, subject, source, status, fingerprint,
                           created_at, last_activity_at, last_staff_activity_at, assignee_id, awaiting_since)
        select ${uuid("ticket", "t")},
               'BD-' || lpad((t / 10000)::text, 4, '0') || '-' || lpad((t % 10000)::text, 4, '0'),
               ${uuid("account", `(t::bigint * 7919 % ${N}) + 1`)}, 'Learner ' || ((t::bigint * 7919 % ${N}) + 1), ${address(`(t::bigint * 7919 % ${N}) + 1`)},
               (array['missing_badge', 'email_account', 'revoked_badge', 'pathways', 'verification_sharing', 'other'])[t % 6 + 1],
               (array['Badge missing from my backpack', 'Verification email never arrived', 'My badge was revoked', 'Cannot find my pathway invitation',
                      'How do employers verify my badge', 'Changing my email address'])[t % 6 + 1] || ' (' || t || ')',
               'web', ${status}, md5('ticket' || t), ${createdAt}, ${createdAt} + interval '3 hours',
               case when ${status} <> 'new' then ${createdAt} + interval '1 hour' end,
               case when ${status} in ('open', 'pending') and t % 2 = 0 or ${status} in ('resolved', 'closed') then ${uuid("agent", `t % ${BENCH_AGENTS} + 1`)} end,
               case when ${status} = 'new' then ${createdAt} when ${status} = 'open' then ${createdAt} + interval '2 hours' end
        from generate_series(1, ${T}) t`),
  );
  // Four messages a ticket: the request; an answer (an internal note on new tickets); the
  // requester again; and a note or, on pending and solved tickets, the final answer.
  await step(`ticket messages (${(T * 4).toLocaleString("en")})`, () =>
    sql.unsafe(`
      insert into ticket_messages (ticket_id, author_kind, author_account_id, author_name, body, visibility, created_at)
        select ${uuid("ticket", "t")},
               case when m in (1, 3) then 'requester' else 'agent' end,
               case when m in (2, 4) then ${uuid("agent", `t % ${BENCH_AGENTS} + 1`)} end,
               case when m in (1, 3) then 'Learner' else 'Bench Agent ' || (t % ${BENCH_AGENTS} + 1) end,
               case m when 1 then 'My badge from issuer ' || (t % 500) || ' is not in my backpack. I finished the course two weeks ago and the issuer says it was sent.'
                      when 2 then 'Thanks for writing. Could you tell us the address the issuer used? It may be one that is not verified on your account yet.'
                      when 3 then 'They used my school address, I think. I can still read mail there.'
                      else 'Verification link sent to the school address; the badge shows once it is opened.' end,
               case when m = 2 and ${status} = 'new' or m = 4 and ${status} in ('new', 'open') then 'internal' else 'public' end,
               ${createdAt} + (m - 1) * interval '1 hour'
        from generate_series(1, ${T}) t cross join generate_series(1, 4) m`),
  );
  await step("ticket events", () =>
    sql.unsafe(`
      insert into ticket_events (ticket_id, at, actor_kind, from_status, to_status)
        select ${uuid("ticket", "t")}, ${createdAt}, 'requester', null, 'new' from generate_series(1, ${T}) t;
      insert into ticket_events (ticket_id, at, actor_kind, actor_account_id, from_status, to_status)
        select ${uuid("ticket", "t")}, ${createdAt} + interval '3 hours', 'agent', ${uuid("agent", `t % ${BENCH_AGENTS} + 1`)}, 'new', ${status}
        from generate_series(1, ${T}) t where ${status} <> 'new';`),
  );
  await sql.unsafe("set session_replication_role = origin");
  // The queue's view counts are kept by a trigger, off during the load: counted once here.
  await step("queue counts", () => sql.unsafe("select ticket_queue_counts_rebuild()"));
  await step(`indexes (${indexes.length})`, () => sql.unsafe(indexes.map((i) => `${i.definition};`).join("\n")));
  await step("vacuum analyze", () => sql.unsafe(`vacuum analyze ${FILLED.join(", ")}`));
  await sql.end();
  console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      accounts: { type: "string" },
      addresses: { type: "string" },
      awards: { type: "string" },
      revocations: { type: "string" },
      tickets: { type: "string" },
      database: { type: "string", default: "bd_platform" },
      server: { type: "string", default: "postgres://postgres@127.0.0.1:5432" },
    },
  });
  const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Math.max(1, Math.floor(Number(value.replace(/[_,]/g, "")))));
  const size: PlatformSize = {
    accounts: number(values.accounts, DEFAULT_SIZE.accounts),
    addresses: number(values.addresses, DEFAULT_SIZE.addresses),
    awards: number(values.awards, DEFAULT_SIZE.awards),
    revocations: number(values.revocations, DEFAULT_SIZE.revocations),
    tickets: number(values.tickets, DEFAULT_SIZE.tickets),
  };
  await generate({ server: values.server!, database: values.database!, size });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
