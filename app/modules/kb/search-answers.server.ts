// The answers of GET /api/search (search as you type), kept in memory by content version and
// query. Readers type the same prefixes ("b", "ba", "bad", …), so most requests ask what another
// reader asked a moment ago: the JSON of the results is made once per (index version, limit,
// query key) and reused, in a bounded least-recently-used map. Every request, answered from here or
// not, is still noted for the search log (a search answered from memory is still a search).
//
// The server answers hits before express and Remix (server/search-api.ts); misses go through
// the route (app/routes/api.search.tsx), which calls the same function, so both paths send the
// same bytes.
import { z } from "zod";
import { freshContentVersion } from "./content-version.server";
import { noteSearch } from "./reading-log.server";
import { searchQueryKey, type SearchOutcome, type SearchResult } from "./search-index";
import { currentSearchIndex, DEFAULT_RESULT_LIMIT, MAX_RESULT_LIMIT } from "./search.server";
import { MAX_QUERY_LENGTH } from "./search-text";
import { SEARCH_RESULTS } from "./http-caching";

/** The answer's headers, whichever path sends it (the server adds the security headers to every response). */
export const SEARCH_ANSWER_HEADERS: Readonly<Record<string, string>> = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": SEARCH_RESULTS };

// ~5 KB an answer of 8 results: at most ~10 MB.
const MAX_ANSWERS = 2_000;

/** The request's parameters; nonsense falls back to the defaults (a search box never gets an error). */
export const SearchRequestParams = z.object({
  // Longer input is cut, not refused: a pasted paragraph still searches.
  q: z.string().default("").transform((q) => q.slice(0, MAX_QUERY_LENGTH)),
  limit: z.coerce.number().int().min(1).max(MAX_RESULT_LIMIT).catch(DEFAULT_RESULT_LIMIT).default(DEFAULT_RESULT_LIMIT),
});

export interface SearchRequest {
  /** The query as sent (`q`), echoed in the answer. */
  q: string | null;
  limit: string | null;
  /** The search box's key for one search (`k`): a typing burst is logged as one search. */
  searchKey: string | null;
  clientKey: string;
}

interface CachedResults {
  /** The `results` array as JSON. */
  resultsJson: string;
  total: number;
}

const answers = new Map<string, CachedResults>();
let answersVersion = -1;

const cacheKey = (limit: number, query: string) => `${limit}\u0000${searchQueryKey(query)}`;
const bodyOf = (query: string, resultsJson: string) => `{"query":${JSON.stringify(query)},"results":${resultsJson}}`;

/**
 * The answer from memory, without waiting, when the content version was read less than a second
 * ago and this query's results of that version are kept; null otherwise (then ask `answerSearch`).
 */
export function cachedSearchAnswer(request: SearchRequest): string | null {
  const version = freshContentVersion();
  if (version === null || version !== answersVersion) return null;
  const { q, limit } = parse(request);
  if (!q.trim()) return bodyOf(q, "[]");
  const key = cacheKey(limit, q);
  const cached = answers.get(key);
  if (!cached) return null;
  // Least recently used goes first: a hit moves to the back.
  answers.delete(key);
  answers.set(key, cached);
  logSearch(request, q, cached.total, 0);
  return bodyOf(q, cached.resultsJson);
}

/** The answer (JSON text), searched now unless kept from an earlier request of the same version. */
export async function answerSearch(request: SearchRequest): Promise<string> {
  const { q, limit } = parse(request);
  if (!q.trim()) return bodyOf(q, "[]");
  const started = performance.now();
  const { index, version } = await currentSearchIndex();
  if (version !== answersVersion) {
    // A newer version makes every kept answer useless; an older one (an index still loading
    // after another request saw the new version) is answered without being kept.
    if (version < answersVersion) return respond(index.search(q, { limit }), q, request, started);
    answers.clear();
    answersVersion = version;
  }
  const key = cacheKey(limit, q);
  let cached = answers.get(key);
  if (cached) {
    answers.delete(key);
  } else {
    const outcome = index.search(q, { limit });
    cached = { resultsJson: resultsJsonOf(outcome.results), total: outcome.total };
    if (answers.size >= MAX_ANSWERS) answers.delete(answers.keys().next().value!);
  }
  answers.set(key, cached);
  logSearch(request, q, cached.total, performance.now() - started);
  return bodyOf(q, cached.resultsJson);
}

function respond(outcome: SearchOutcome, q: string, request: SearchRequest, started: number): string {
  logSearch(request, q, outcome.total, performance.now() - started);
  return bodyOf(q, resultsJsonOf(outcome.results));
}

/** Every answer is noted for the search log, whichever path made it. */
function logSearch(request: SearchRequest, query: string, resultCount: number, durationMs: number): void {
  noteSearch({ query, resultCount, durationMs, surface: "api", searchKey: request.searchKey, clientKey: request.clientKey });
}

function resultsJsonOf(results: SearchResult[]): string {
  return JSON.stringify(results.map(({ slug, url, title, summary, snippet, score, highlights }) => ({ slug, url, title, summary, snippet, score, highlights })));
}

function parse(request: SearchRequest): { q: string; limit: number } {
  return SearchRequestParams.parse({ q: request.q ?? undefined, limit: request.limit ?? undefined });
}

/** Tests start from an empty database. */
export function forgetSearchAnswers(): void {
  answers.clear();
  answersVersion = -1;
}
