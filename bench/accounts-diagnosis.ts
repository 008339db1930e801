// Diagnosis of an account with 500 awards in every state: the pure engine (diagnose +
// summarizeFindings), the whole My badges page model, and, when bd_platform exists, the complete
// path for its 500-award learner (one lookup statement + diagnosis) through getAccountDiagnosis.
//
//   npx tsx bench/accounts-diagnosis.ts [--iterations 2000] [--database bd_platform]
import { parseArgs } from "node:util";
import postgres from "postgres";
import type { AccountLookup, AwardRecord } from "~/modules/accounts/account-lookup";
import { parse as parseYaml } from "yaml";
import fs from "node:fs";
import path from "node:path";
import { diagnose, summarizeFindings } from "~/modules/accounts/diagnosis";
import { buildMyBadgesView } from "~/modules/accounts/my-badges";
import { HEAVY_LEARNER, platformDatabaseUrl } from "../scripts/generate-platform";

const { values } = parseArgs({
  options: {
    iterations: { type: "string", default: "2000" },
    database: { type: "string", default: "bd_platform" },
    server: { type: "string", default: "postgres://postgres@127.0.0.1:5432" },
  },
});
const iterations = Number(values.iterations);
const now = new Date();
const day = 24 * 60 * 60 * 1000;

// 500 awards over four addresses: verified, verified in other capitals, unverified, misspelt.
const addresses = [
  { id: "e1", email: "ana.silva@gmail.com", verified: true, verifiedAt: now, primary: true, createdAt: now, kind: "own" as const },
  { id: "e2", email: "ana.silva@school.example.edu", verified: false, verifiedAt: null, primary: false, createdAt: now, kind: "own" as const },
];
const awards: AwardRecord[] = Array.from({ length: 500 }, (_, n) => {
  const slot = n % 4;
  const recipientEmail = ["ana.silva@gmail.com", "Ana.Silva@Gmail.com", "ana.silva@school.example.edu", "ana.silva@gmial.com"][slot];
  return {
    id: `award-${n}`,
    badgeName: `Badge ${n}`,
    badgeDescription: "What it certifies.",
    issuerName: `Issuer ${n % 17}`,
    recipientEmail,
    issuedOn: new Date(now.getTime() - n * day),
    expiresAt: n % 10 === 0 ? new Date(now.getTime() - day) : null,
    removedByLearner: n % 25 === 0,
    removedByLearnerAt: n % 25 === 0 ? now : null,
    recipientHolder: slot === 2 ? "this_account_unverified" : slot === 3 ? "no_account" : "this_account_verified",
    via: slot === 3 ? "typo" : "own",
    revocations: n % 31 === 7 ? [{ id: `r${n}`, reason: "Revoked", revokedBy: "Registrar", revokedAt: new Date(now.getTime() - 2 * day), reinstatement: null }] : [],
  };
});
const lookup: AccountLookup = { account: { id: "acct", name: "Ana", disabled: false }, addresses, awards, invitations: [] };
const snapshot = { accountId: "acct", emails: addresses, awards, invitations: [] };
// The articles' codes as the knowledge base publishes them (read here from content/ to need no database).
const faq = path.resolve("content/faq");
const articles = fs.readdirSync(faq).flatMap((category) =>
  fs.readdirSync(path.join(faq, category)).filter((f) => f.endsWith(".mdx")).map((file) => {
    const meta = parseYaml(/^---\n([\s\S]*?)\n---/.exec(fs.readFileSync(path.join(faq, category, file), "utf8"))![1]) as { title: string; codes?: string[] };
    return { path: `/faq/${category}/${file.slice(0, -4)}`, title: meta.title, category, codes: meta.codes ?? [] };
  }),
);

function measure(label: string, work: () => unknown, runs = iterations) {
  for (let i = 0; i < Math.min(200, runs); i++) work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    work();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${label.padEnd(58)} mean ${mean.toFixed(3)} ms  p50 ${at(50).toFixed(3)} ms  p99 ${at(99).toFixed(3)} ms  (${runs} runs)`);
}

const findings = diagnose(snapshot, now);
console.log(`500 awards → ${findings.length} findings; summary: ${summarizeFindings(findings).length} lines\n`);
measure("diagnose + summarizeFindings (500 awards)", () => summarizeFindings(diagnose(snapshot, now)));
measure("buildMyBadgesView: the whole My badges model (500 awards)", () => buildMyBadgesView({ lookup, articles, now }));
// Worst case for the typo check: every award to a different address on no account.
const scattered = { ...snapshot, awards: awards.map((a, n) => ({ ...a, recipientEmail: `ana.silva${n}@gmial.com`, recipientHolder: "no_account" as const, revocations: [] })) };
measure("diagnose, 500 awards to 500 different unknown addresses", () => summarizeFindings(diagnose(scattered, now)));

const url = platformDatabaseUrl(values.server, values.database);
const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 3 });
const heavy = await probe<{ id: string }[]>`select account_id as id from account_emails where lower(email) = ${HEAVY_LEARNER}`.catch(() => []);
await probe.end();
if (heavy.length === 0) {
  console.log(`\n(${url} has no ${HEAVY_LEARNER}: run scripts/generate-platform.ts for the database figures)`);
} else {
  process.env.DATABASE_URL = url;
  const { getAccountDiagnosis, awardStatesForAccount } = await import("~/modules/accounts");
  const { closeConnection } = await import("#db/client.server");
  const found = await awardStatesForAccount({ accountId: heavy[0].id });
  console.log(`\n${HEAVY_LEARNER} in ${values.database}: ${found!.awards.length} awards`);
  const runs = Math.min(iterations, 500);
  const times: number[] = [];
  for (let i = 0; i < runs + 50; i++) {
    const t = performance.now();
    await getAccountDiagnosis({ accountId: heavy[0].id });
    if (i >= 50) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
  console.log(`${"getAccountDiagnosis: lookup statement + diagnosis, one caller".padEnd(58)} p50 ${at(50).toFixed(3)} ms  p99 ${at(99).toFixed(3)} ms  (${runs} runs)`);
  await closeConnection();
}
