// The search index in the database and in memory, and the search every page and the JSON API use.
// The index of a content version is built once (by whoever publishes it), stored in
// kb_search_indexes, and loaded by every instance that sees the version change.
import { eq, inArray, lt, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { kbRevisions, kbSearchIndexes } from "#db/schema";
import { listLiveArticleTexts, onPublish } from "./articles.server";
import { currentContentVersion } from "./content-version.server";
import {
  buildSearchIndex,
  indexedRevisions,
  INDEX_FORMAT,
  loadSearchIndexWithTexts,
  parseIndexHeader,
  splitIndexTexts,
  newDocumentAnalyses,
  type SearchIndex,
  type SearchOutcome,
  type StoredSearchIndex,
} from "./search-index";
import { noteSearch } from "./reading-log.server";

export const DEFAULT_RESULT_LIMIT = 10;
export const MAX_RESULT_LIMIT = 50;
const INDEXES_KEPT = 3;

const holder: {
  version: number;
  index: SearchIndex | null;
  pending: Promise<SearchIndex> | null;
  pendingVersion: number;
  /** Article texts by revision, kept across versions: a publish changes few of them. */
  texts: Map<string, string>;
} = { version: -1, index: null, pending: null, pendingVersion: -1, texts: new Map() };
// Above this many texts missing, one read of the stored texts beats fetching them by revision.
const TEXTS_BY_REVISION_MAX = 100;

// The published revisions' words, analysed once per instance: the next build (a publish) analyses
// only the revisions that are new.
const analyses = newDocumentAnalyses();

/** Builds the index of the published revisions and stores it under `version` (kept if already there). */
export async function storeSearchIndex(version: number): Promise<{ stored: StoredSearchIndex; buildMs: number }> {
  const articles = await listLiveArticleTexts();
  const started = performance.now();
  const stored = buildSearchIndex(
    articles.map((a) => ({ revisionId: a.revisionId, slug: a.slug, url: a.url, title: a.title, summary: a.summary, category: a.category, tags: a.tags, body: a.plainText })),
    analyses,
  );
  const buildMs = Math.round(performance.now() - started);
  await db
    .insert(kbSearchIndexes)
    .values({ contentVersion: version, format: INDEX_FORMAT, ...stored, documentCount: articles.length, buildMs })
    .onConflictDoNothing();
  await db.delete(kbSearchIndexes).where(lt(kbSearchIndexes.contentVersion, sql`(select min(content_version) from (select content_version from kb_search_indexes order by content_version desc limit ${INDEXES_KEPT}) newest)`));
  return { stored, buildMs };
}

onPublish(async (version) => {
  const { stored } = await storeSearchIndex(version);
  const header = parseIndexHeader(stored.header);
  const texts = splitIndexTexts(stored.texts, header);
  rememberTexts(indexedRevisions(header), texts);
  holder.version = version;
  holder.index = loadSearchIndexWithTexts(header, stored.postings, texts);
});

function rememberTexts(revisions: string[], texts: string[]) {
  const next = new Map<string, string>();
  revisions.forEach((revision, i) => next.set(revision, texts[i] ?? ""));
  holder.texts = next;
}

/** Makes sure the current content version has a stored index (start-up calls this). */
export async function ensureSearchIndex(): Promise<void> {
  await getSearchIndex();
}

/**
 * Reads the stored index of a version. The article texts (for snippets, two thirds of the bytes)
 * come from memory for revisions this instance already holds; only the rest is read.
 */
export async function loadIndex(version: number): Promise<SearchIndex> {
  const storedTexts = () =>
    db
      .select({ texts: kbSearchIndexes.texts })
      .from(kbSearchIndexes)
      .where(eq(kbSearchIndexes.contentVersion, version))
      .limit(1)
      .then(([stored]) => stored?.texts ?? "");
  // A fresh instance needs every text: read them alongside the postings (two connections on PostgreSQL).
  const allTexts = holder.texts.size === 0 ? storedTexts() : null;
  allTexts?.catch(() => {});
  const [row] = await db
    .select({ header: kbSearchIndexes.header, postings: kbSearchIndexes.postings, format: kbSearchIndexes.format })
    .from(kbSearchIndexes)
    .where(eq(kbSearchIndexes.contentVersion, version))
    .limit(1);
  if (!row || row.format !== INDEX_FORMAT) {
    // No index for this version yet (or an older format): build it; another instance may race us, harmlessly.
    const { stored } = await storeSearchIndex(version);
    const header = parseIndexHeader(stored.header);
    const texts = splitIndexTexts(stored.texts, header);
    rememberTexts(indexedRevisions(header), texts);
    return loadSearchIndexWithTexts(header, stored.postings, texts);
  }
  const header = parseIndexHeader(row.header);
  const revisions = indexedRevisions(header);
  const missing = revisions.filter((revision) => !holder.texts.has(revision));
  let texts: string[];
  if (allTexts || missing.length > TEXTS_BY_REVISION_MAX || missing.some((revision) => !revision)) {
    texts = splitIndexTexts(await (allTexts ?? storedTexts()), header);
  } else {
    const fetched = missing.length
      ? await db.select({ id: kbRevisions.id, plainText: kbRevisions.plainText }).from(kbRevisions).where(inArray(kbRevisions.id, missing))
      : [];
    const byRevision = new Map(fetched.map((r) => [r.id, r.plainText]));
    texts = revisions.map((revision) => holder.texts.get(revision) ?? byRevision.get(revision) ?? "");
  }
  rememberTexts(revisions, texts);
  return loadSearchIndexWithTexts(header, row.postings, texts);
}

/** The index of the current content version, loaded once per version per instance. */
export async function getSearchIndex(): Promise<SearchIndex> {
  return (await currentSearchIndex()).index;
}

/**
 * The index to search now and the content version it is of: while a new version loads, that is
 * still the previous one (answers cached by version must be filed under the index's version).
 */
export async function currentSearchIndex(): Promise<{ index: SearchIndex; version: number }> {
  const version = await currentContentVersion();
  if (holder.index && holder.version === version) return { index: holder.index, version };
  if (!holder.pending || holder.pendingVersion !== version) {
    holder.pendingVersion = version;
    holder.pending = loadIndex(version)
      .then((index) => {
        if (holder.pendingVersion === version) {
          holder.version = version;
          holder.index = index;
        }
        return index;
      })
      .finally(() => {
        if (holder.pendingVersion === version) holder.pending = null;
      });
  }
  // While a new version loads, the previous index keeps answering (it is at most a second old).
  if (holder.index) return { index: holder.index, version: holder.version };
  return { index: await holder.pending, version };
}

export function forgetSearchIndex(): void {
  holder.version = -1;
  holder.index = null;
  holder.pending = null;
  holder.texts = new Map();
}

export type SearchSurface = "page" | "api";

export interface SearchResponse extends SearchOutcome {
  query: string;
}

/**
 * Searches the published articles. The search is noted for the search log, which writes it once
 * it settles, off the request path (reading-log.server.ts); `searchKey` ties a burst of
 * as-you-type requests together.
 */
export async function searchArticles({
  query,
  limit = DEFAULT_RESULT_LIMIT,
  offset = 0,
  surface,
  searchKey = null,
  clientKey = null,
}: {
  query: string;
  limit?: number;
  offset?: number;
  surface: SearchSurface;
  searchKey?: string | null;
  clientKey?: string | null;
}): Promise<SearchResponse> {
  const started = performance.now();
  const index = await getSearchIndex();
  const outcome = index.search(query, { limit: Math.min(Math.max(1, limit), MAX_RESULT_LIMIT), offset: Math.max(0, offset) });
  noteSearch({ query, resultCount: outcome.total, durationMs: performance.now() - started, surface, searchKey, clientKey });
  return { query, ...outcome };
}
