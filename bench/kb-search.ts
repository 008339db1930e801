// Knowledge-base search at scale: a generated corpus of 2,000 articles of about 600 words
// (bench/kb-corpus.ts), then index build time, stored size, index load time (from bytes, and from
// the database as an app instance does it), and search latency p50/p99 over a mix of queries as
// learners send them: every keystroke of search-as-you-type, whole questions, and typos.
//
//   npx tsx bench/kb-search.ts
//
// Settings (environment): BENCH_ARTICLES (2000), BENCH_ROUNDS (20, passes over the query mix).
// The database part uses an in-memory PGlite (no server needed), or PostgreSQL when
// BENCH_DATABASE_URL is set (that database is written to).
import { generateCorpus, useBenchDatabase } from "./kb-corpus";

const articleCount = Number(process.env.BENCH_ARTICLES ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
useBenchDatabase();

const { buildSearchIndex, loadSearchIndex } = await import("~/modules/kb/search-index");
const { db, migrateDatabase, closeConnection, getConnection } = await import("#db/client.server");
const { kbArticles, kbRevisions, kbSearchIndexes } = await import("#db/schema");
const { eq, inArray } = await import("drizzle-orm");
const { forgetSearchIndex, loadIndex } = await import("~/modules/kb/search.server");
const { randomUUID } = await import("node:crypto");

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

console.log(`Generating ${articleCount} articles…`);
const corpus = generateCorpus(articleCount).map((d) => ({ ...d, revisionId: crypto.randomUUID() }));
const words = corpus.reduce((sum, d) => sum + d.body.split(/\s+/).length, 0);
console.log(`  ${(words / corpus.length).toFixed(0)} words per article on average`);

// Wall time, and CPU time of this process: on a shared machine the difference is time other
// processes took from us (the figures in BENCHMARKS.md give the load average of the run).
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const builds: number[] = [];
const buildCpu: number[] = [];
let stored = { header: "", postings: "", texts: "" };
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const cpuStarted = cpuMs();
  stored = buildSearchIndex(corpus);
  builds.push(performance.now() - started);
  buildCpu.push(cpuMs() - cpuStarted);
}
const loads: number[] = [];
for (let i = 0; i < 7; i++) {
  const started = performance.now();
  loadSearchIndex(stored);
  loads.push(performance.now() - started);
}

// From the database, through the app's own loader (search.server.ts loadIndex):
// - a fresh instance reads the whole stored index (header, postings, texts);
// - on a content change (here one article edited) an instance reads header and postings, and only
//   the text of the changed revision.
await migrateDatabase();
const [article] = await db.insert(kbArticles).values({ slug: `bench-${randomUUID()}` }).returning();
const [changed] = await db
  .insert(kbRevisions)
  .values({ articleId: article.id, number: 1, origin: "editor", title: corpus[0].title, summary: corpus[0].summary, category: corpus[0].category, tags: [], codes: [], updatedOn: "2026-11-26", source: "", contentHash: "", html: "", headings: [], plainText: `${corpus[0].body} Quuxfrobnicated.`, rendererVersion: 1 })
  .returning();
const edited = buildSearchIndex(corpus.map((d, i) => (i === 0 ? { ...d, revisionId: changed.id, body: `${d.body} Quuxfrobnicated.` } : d)));
const [before, after] = [900_000_001, 900_000_002];
await db.delete(kbSearchIndexes).where(inArray(kbSearchIndexes.contentVersion, [before, after]));
await db.insert(kbSearchIndexes).values([
  { contentVersion: before, format: 2, ...stored, documentCount: corpus.length, buildMs: Math.round(median(builds)) },
  { contentVersion: after, format: 2, ...edited, documentCount: corpus.length, buildMs: Math.round(median(builds)) },
]);
const freshLoads: number[] = [];
const changeLoads: number[] = [];
for (let i = 0; i < 5; i++) {
  forgetSearchIndex();
  let started = performance.now();
  await loadIndex(before);
  freshLoads.push(performance.now() - started);
  started = performance.now();
  const reloaded = await loadIndex(after);
  changeLoads.push(performance.now() - started);
  if (reloaded.search("quuxfrobnicated ").results[0]?.snippet.includes("Quuxfrobnicated") !== true) throw new Error("the changed text did not arrive");
}
await db.delete(kbSearchIndexes).where(inArray(kbSearchIndexes.contentVersion, [before, after]));
await db.delete(kbArticles).where(eq(kbArticles.id, article.id));
const driver = getConnection().driver;
await closeConnection();

// The query mix. Generated articles use our real articles' words for the common vocabulary, so
// these questions hit large posting lists, as they would in a real help center.
const questions = [
  "I have been awarded a badge but lost the email what should I do now",
  "my email address has changed",
  "badge does not show up in my backpack",
  "a badge suddenly vanished from my backpack",
  "I have not accepted my pathway invitation and can not find the email anymore",
  "how does an employer verify my badge",
  "merge two accounts",
  "share my badge on linkedin",
  "delete my account",
  "revoked badge by mistake",
];
const typos = ["verfication email", "pathway invitaton", "backpak missing badge", "emial adress changed", "revokd", "linkdin share", "acount merge", "expird badge"];
const keystrokes = questions.slice(0, 5).flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
const mix = [
  ...keystrokes.map((q) => ({ kind: "as you type", q })),
  ...questions.map((q) => ({ kind: "whole question", q })),
  ...typos.map((q) => ({ kind: "typo", q })),
];

const index = loadSearchIndex(stored);
for (const { q } of mix) index.search(q, { limit: 10 });
const times = new Map<string, number[]>();
const cpuTimes = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const { kind, q } of mix) {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    index.search(q, { limit: 10 });
    const took = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    for (const key of [kind, "all"]) {
      (times.get(key) ?? times.set(key, []).get(key)!).push(took);
      (cpuTimes.get(key) ?? cpuTimes.set(key, []).get(key)!).push((cpu.user + cpu.system) / 1000);
    }
  }
}

const megabytes = (text: string) => (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
console.log(`\nKnowledge-base search, ${corpus.length} articles (stored: header ${megabytes(stored.header)} MB, postings ${megabytes(stored.postings)} MB, texts ${megabytes(stored.texts)} MB)`);
console.log(`  index build            median ${ms(median(builds))}  (runs: ${builds.map((b) => b.toFixed(0)).join(", ")} ms; CPU ${buildCpu.map((b) => b.toFixed(0)).join(", ")} ms)`);
console.log(`  index load from bytes  median ${ms(median(loads))}`);
const database = driver === "pglite" ? "PGlite" : "PostgreSQL";
console.log(`  index load from ${database}, fresh instance (everything)   median ${ms(median(freshLoads))}  (runs: ${freshLoads.map((b) => b.toFixed(0)).join(", ")} ms)`);
console.log(`  index load from ${database}, after one article changed     median ${ms(median(changeLoads))}  (runs: ${changeLoads.map((b) => b.toFixed(0)).join(", ")} ms)`);
for (const [kind, list] of times) {
  const sorted = [...list].sort((a, b) => a - b);
  const cpu = [...cpuTimes.get(kind)!].sort((a, b) => a - b);
  console.log(
    `  search ${kind.padEnd(15)} n=${String(sorted.length).padEnd(5)} p50 ${ms(percentile(sorted, 0.5))}  p99 ${ms(percentile(sorted, 0.99))}  max ${ms(sorted[sorted.length - 1])}   (CPU p50 ${ms(percentile(cpu, 0.5))}, p99 ${ms(percentile(cpu, 0.99))})`,
  );
}
