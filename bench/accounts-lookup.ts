// The complete award-state lookup for one account found by a random address in random case,
// through the module function (awardStatesForAccount: postgres.js, the lookup statement, badge and
// pathway names from the module's cache, building the records and states in JavaScript) with N
// concurrent callers; then, in the same run and with as many clients, pgbench running the single
// hand-written statement for the same complete answer (the module's statement with the badge and
// pathway names joined in), and the module's own statement alone.
//
//   npx tsx scripts/generate-platform.ts              # once: bd_platform, ~1 M accounts
//   npx tsx bench/accounts-lookup.ts [--seconds 15] [--concurrency 4] [--database bd_platform]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { LOOKUP_BY_EMAIL_SQL } from "~/modules/accounts/account-lookup-sql";
import { platformAddress, platformAddressSql, platformDatabaseUrl } from "../scripts/generate-platform";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "15" },
    warmup: { type: "string", default: "3" },
    concurrency: { type: "string", default: "4" },
    database: { type: "string", default: "bd_platform" },
    server: { type: "string", default: "postgres://postgres@127.0.0.1:5432" },
  },
});
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const concurrency = Number(values.concurrency);
const url = platformDatabaseUrl(values.server, values.database);

// The module reads these when it first connects: one pooled connection per caller.
process.env.DATABASE_URL = url;
process.env.DATABASE_POOL_SIZE = String(concurrency);
const { awardStatesForAccount } = await import("~/modules/accounts");
const { closeConnection } = await import("#db/client.server");

const admin = postgres(url, { max: 1, onnotice: () => {} });
const [{ addresses, awards, version }] = await admin<{ addresses: number; awards: number; version: string }[]>`
  select (select count(*)::int from account_emails where email ilike 'learner%') as addresses,
         (select count(*)::int from awards) as awards,
         current_setting('server_version') as version`;
await admin.end();
if (addresses === 0) throw new Error(`No generated addresses in ${url}: run scripts/generate-platform.ts first`);

// PostgreSQL's initcap: a capital at the start of every run of letters and digits.
const initcap = (s: string) => s.toLowerCase().replace(/[a-z0-9]+/g, (w) => w[0].toUpperCase() + w.slice(1));
const CASES = [(s: string) => s, (s: string) => s.toUpperCase(), initcap];
const randomInt = (n: number) => Math.floor(Math.random() * n);
const randomAddress = () => CASES[randomInt(CASES.length)](platformAddress(1 + randomInt(addresses)));

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Figures {
  label: string;
  lookups: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  awardsSeen?: number;
  /** CPU time this Node process spent per lookup (driver, JSON, records, states). */
  nodeCpuPerLookup?: number;
}

async function moduleRun(durationSeconds: number): Promise<Figures> {
  const latencies: number[] = [];
  let awardsSeen = 0;
  const deadline = performance.now() + durationSeconds * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const email = randomAddress();
        const t = performance.now();
        const result = await awardStatesForAccount({ email });
        latencies.push(performance.now() - t);
        if (!result) throw new Error(`No account found for ${email}`);
        awardsSeen += result.awards.length;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    nodeCpuPerLookup: (cpu.user + cpu.system) / 1000 / latencies.length,
    label: `module (awardStatesForAccount, postgres.js, ${concurrency} callers)`,
    lookups: latencies.length,
    throughput: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    awardsSeen,
  };
}

// Everything the module answers, names included, in one statement: the reference for the target.
// One primary-key probe per award and invitation, as joining the names in the statement itself
// would (a join on json_array_elements gets planned as a scan of every badge class).
const COMPLETE_ANSWER_SQL = `with lookup as (${LOOKUP_BY_EMAIL_SQL})
select l.*,
  (select json_agg((select json_build_object('id', bc.id, 'name', bc.name, 'description', bc.description, 'issuerName', i.name)
                    from badge_classes bc join issuers i on i.id = bc.issuer_id
                    where bc.id = (x->>'badgeClassId')::uuid))
   from json_array_elements(l.awards) x) as badge_classes,
  (select json_agg((select json_build_object('id', p.id, 'name', p.name, 'issuerName', i.name)
                    from pathways p join issuers i on i.id = p.issuer_id
                    where p.id = (x->>'pathwayId')::uuid))
   from json_array_elements(l.invitations) x) as pathways
from lookup l`;

// A statement for pgbench: the address computed from pgbench's random numbers the way
// platformAddress does it, in one of the same three spellings.
const pgbenchScript = (statement: string) =>
  [
    `\\set i random(1, ${addresses})`,
    `\\set c random(0, 2)`,
    statement.replace(
      "$1::text",
      `(select case cast(:c as int) when 0 then a when 1 then upper(a) else initcap(a) end from (select ${platformAddressSql("cast(:i as bigint)")} as a) s)`,
    ) + ";",
  ].join("\n");

function pgbenchRun(label: string, statement: string, durationSeconds: number, { log }: { log: boolean }): Figures | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bd-accounts-pgbench-"));
  const script = path.join(dir, "lookup.sql");
  fs.writeFileSync(script, pgbenchScript(statement));
  const args = ["-n", "-M", "prepared", "-c", String(concurrency), "-j", String(Math.min(concurrency, os.cpus().length)), "-T", String(durationSeconds), "-f", script];
  if (log) args.push("-l", `--log-prefix=${path.join(dir, "log")}`);
  const output = execFileSync("pgbench", [...args, url], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (!log) {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? NaN);
  const latencies: number[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith("log"))) {
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
      const fields = line.trim().split(/\s+/);
      if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    label: `pgbench -M prepared: ${label} (${concurrency} clients)`,
    lookups: latencies.length,
    throughput: tps,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
  };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
console.log(`PostgreSQL ${version} · ${url} · ${addresses.toLocaleString("en")} addresses · ${awards.toLocaleString("en")} awards · ${os.cpus().length} cores`);
console.log(`${seconds} s per run after ${warmupSeconds} s of warm-up, ${concurrency} concurrent callers\n`);

// Three module runs: on two cores shared with the database, one run's p99 can be off by a
// third from the next, so the summary takes the middle one.
await moduleRun(warmupSeconds);
const moduleRuns: Figures[] = [];
for (let run = 1; run <= 3; run++) moduleRuns.push({ ...(await moduleRun(seconds)), label: `module run ${run} (awardStatesForAccount, ${concurrency} callers)` });
const viaModule = [...moduleRuns].sort((a, b) => a.p99 - b.p99)[1];
pgbenchRun("warm-up", COMPLETE_ANSWER_SQL, warmupSeconds, { log: false });
const complete = pgbenchRun("complete answer, one statement", COMPLETE_ANSWER_SQL, seconds, { log: true })!;
const moduleStatement = pgbenchRun("the module's statement alone", LOOKUP_BY_EMAIL_SQL, seconds, { log: true })!;
await closeConnection();

const rows = [...moduleRuns, complete, moduleStatement];
const width = Math.max(...rows.map((r) => r.label.length));
console.log(`${"".padEnd(width)}  ${"lookups/s".padStart(10)}  ${"p50".padStart(9)}  ${"p99".padStart(9)}  ${"max".padStart(9)}`);
for (const r of rows) console.log(`${r.label.padEnd(width)}  ${r.throughput.toFixed(0).padStart(10)}  ${ms(r.p50).padStart(9)}  ${ms(r.p99).padStart(9)}  ${ms(r.max).padStart(9)}`);
console.log(`\nmiddle module run (by p99) / pgbench on the complete answer: ${((100 * viaModule.throughput) / complete.throughput).toFixed(0)} % of the throughput (target ≥ 50 %); module p99 ${ms(viaModule.p99)} (target ≤ 2 ms)`);
console.log(`average awards per lookup: ${(viaModule.awardsSeen! / viaModule.lookups).toFixed(1)}; Node CPU per lookup through the module: ${ms(viaModule.nodeCpuPerLookup!)}`);
