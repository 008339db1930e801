// Start-up: import content/faq as revisions (only files that changed) and make sure the current
// content version has a stored search index. Called by server/start.ts after migrate and seed.
import { importArticles } from "./articles.server";
import { ensureSearchIndex } from "./search.server";

export async function prepareKnowledgeBase(): Promise<void> {
  const started = Date.now();
  const report = await importArticles();
  for (const rejected of report.rejected) {
    console.error(`Article not imported (the previous revision stays live):\n  ${rejected.problems.join("\n  ")}`);
  }
  await ensureSearchIndex();
  console.log(
    `Knowledge base: ${report.imported.length} article(s) imported, ${report.unchanged} unchanged${report.rejected.length ? `, ${report.rejected.length} rejected` : ""} (${Date.now() - started} ms)`,
  );
}
