// Publish → searchable on another instance, at 2,000 articles. An editor publishes (compile, one
// transaction, the search index of the new content version built and stored: what the publishing
// instance does); a second instance, which held the previous version, notices the new version at
// its next read of the content version (at most CHECK_INTERVAL_MS = 1 s later) and loads the stored
// index (header and postings, plus only the changed article's text). Reported: publish time, the
// second instance's load time, and their sum plus the full second of polling (the worst case).
//
//   npx tsx bench/kb-publish-latency.ts
//
// Settings (environment): BENCH_ARTICLES (2000), BENCH_PUBLISHES (5). In-memory PGlite, or
// PostgreSQL when BENCH_DATABASE_URL is set (that database is dropped and created afresh).
import os from "node:os";
import { generateCorpus, useBenchDatabase } from "./kb-corpus";
import { databaseCpuSeconds } from "./process-cpu";

const articleCount = Number(process.env.BENCH_ARTICLES ?? 2000);
const publishes = Number(process.env.BENCH_PUBLISHES ?? 5);
if (process.env.BENCH_DATABASE_URL) {
  // A fresh database each run (the articles' slugs are the same every time).
  const { ensureDatabase } = await import("../tests/support/databases");
  await ensureDatabase(process.env.BENCH_DATABASE_URL, process.env.BENCH_DATABASE_URL, { fresh: true });
}
useBenchDatabase();

const { db, migrateDatabase, closeConnection, getConnection } = await import("#db/client.server");
const { kbArticles, kbRevisions, accounts } = await import("#db/schema");
const { saveArticle, findArticleForEditing } = await import("~/modules/kb/editor.server");
const { bumpContentVersion, readContentVersion } = await import("~/modules/kb/content-version.server");
const { forgetSearchIndex, loadIndex, storeSearchIndex } = await import("~/modules/kb/search.server");
const { forgetCatalog } = await import("~/modules/kb/articles.server");

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
await migrateDatabase();
console.log(`Loading ${articleCount} articles…`);
const corpus = generateCorpus(articleCount);
for (let i = 0; i < corpus.length; i += 200) {
  const batch = corpus.slice(i, i + 200);
  const articles = await db.insert(kbArticles).values(batch.map((d, j) => ({ slug: `bench-${i + j}-${d.slug}`.slice(0, 90) }))).returning({ id: kbArticles.id });
  await db.insert(kbRevisions).values(
    batch.map((d, j) => ({
      articleId: articles[j].id,
      number: 1,
      origin: "import" as const,
      title: d.title,
      summary: d.summary,
      category: d.category,
      tags: d.tags,
      codes: [],
      updatedOn: "2026-11-29",
      source: "",
      contentHash: "",
      html: "",
      headings: [],
      plainText: d.body,
      rendererVersion: 1,
      publishedAt: new Date(),
    })),
  );
}
const version = await db.transaction((tx) => bumpContentVersion(tx));
forgetCatalog();
await storeSearchIndex(version);
const [editor] = await db.insert(accounts).values({ name: "Bench Editor", passwordHash: "x" }).returning();
const FIELDS = { title: "Where did my pathway go after the rename", summary: "Pathways you joined stay in your backpack even when the issuer renames them.", category: "pathways", tags: ["pathway"], codes: [] };
const first = await saveArticle({ articleId: null, slug: "bench-published-article", fields: FIELDS, body: "The first text.\n", message: "", baseRevisionId: "", publish: true, authorId: editor.id });
if (!first.ok) throw new Error("publish failed");

const publishMs: number[] = [];
const secondLoadMs: number[] = [];
// CPU time (this process; on PostgreSQL also the database's backends): what survives a busy machine.
const publishCpuMs: number[] = [];
const loadCpuMs: number[] = [];
const databaseName = process.env.BENCH_DATABASE_URL ? new URL(process.env.BENCH_DATABASE_URL).pathname.slice(1) : null;
const cpuNow = () => {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1000 + (databaseName ? databaseCpuSeconds(databaseName) * 1000 : 0);
};
for (let i = 0; i < publishes; i++) {
  // The second instance holds the current version's index (and its texts) before the publish.
  const before = await readContentVersion();
  forgetSearchIndex();
  await loadIndex(before);
  const word = `frobnicated${String.fromCharCode(97 + i)}word`;
  const latest = (await findArticleForEditing(first.articleId))!.latest.id;
  let cpu = cpuNow();
  let started = performance.now();
  const saved = await saveArticle({ articleId: first.articleId, slug: "bench-published-article", fields: FIELDS, body: `The text now says ${word}.\n`, message: "", baseRevisionId: latest, publish: true, authorId: editor.id });
  if (!saved.ok) throw new Error("publish failed");
  publishMs.push(performance.now() - started);
  publishCpuMs.push(cpuNow() - cpu);
  const after = await readContentVersion();
  cpu = cpuNow();
  started = performance.now();
  const index = await loadIndex(after);
  secondLoadMs.push(performance.now() - started);
  loadCpuMs.push(cpuNow() - cpu);
  if (!index.search(word, { limit: 1 }).results[0]) throw new Error("the new text is not searchable");
}
const driver = getConnection().driver;
await closeConnection();
const p = median(publishMs);
const l = median(secondLoadMs);
console.log(`\n${articleCount} articles, ${publishes} publishes, ${driver}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log(`  publish (compile, transaction, index built and stored)   median ${p.toFixed(0)} ms   max ${Math.max(...publishMs).toFixed(0)} ms   CPU median ${median(publishCpuMs).toFixed(0)} ms`);
console.log(`  second instance loads the new index                       median ${l.toFixed(0)} ms   max ${Math.max(...secondLoadMs).toFixed(0)} ms   CPU median ${median(loadCpuMs).toFixed(0)} ms`);
console.log(`  publish → searchable on the second instance, worst case with the 1 s version poll: ${(p + l + 1000).toFixed(0)} ms (median parts); from CPU alone (an idle machine): ${(median(publishCpuMs) + median(loadCpuMs) + 1000).toFixed(0)} ms`);
