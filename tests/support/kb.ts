// Knowledge-base helpers for integration tests: the real articles imported into the clean test
// database, and the per-process caches (content version, catalog, search index and answers) forgotten
// between tests, since each test starts from an empty database.
import { forgetCatalog, importArticles } from "~/modules/kb/articles.server";
import { forgetContentVersion } from "~/modules/kb/content-version.server";
import { forgetReadingLog } from "~/modules/kb/reading-log.server";
import { forgetSearchIndex } from "~/modules/kb/search.server";
import { forgetSearchAnswers } from "~/modules/kb/search-answers.server";

export function forgetKnowledgeBaseCaches(): void {
  forgetContentVersion();
  forgetCatalog();
  forgetSearchIndex();
  forgetSearchAnswers();
  forgetReadingLog();
}

/** Imports content/faq (or another folder) as it would be at start-up. */
export async function importTestArticles(directory?: string) {
  forgetKnowledgeBaseCaches();
  const report = await importArticles(directory ? { directory } : {});
  if (report.rejected.length > 0) throw new Error(`articles rejected:\n${report.rejected.flatMap((r) => r.problems).join("\n")}`);
  return report;
}

/** A GET or form POST as a browser would send it to a route module. */
export function formRequest(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`http://badgedesk.test${url}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

export const routeContext = (clientIp = "203.0.113.7") => ({ requestId: "test", cspNonce: "test-nonce", clientIp });
