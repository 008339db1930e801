// What readers did, recorded off the request path: searches (once they settle, not every
// keystroke) and article views. Requests only touch memory; a timer writes what gathered in
// batches, one statement per kind, every FLUSH_INTERVAL_MS (and at shutdown).
//
// A search settles when it is submitted (the /search page), or when its burst of as-you-type
// requests goes quiet for SETTLE_MS: the burst's last query is the search. A burst is keyed by the
// browser's search key (random per search box, sent with each request), or, for clients that send
// none, by client address and surface (kept in memory only, never stored).
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { kbArticleViews, kbSearchLog } from "#db/schema";
import { describeErrorForLog } from "~/lib/log-redaction";
import { listLiveArticles } from "./articles.server";
import { normalizeQueryForLog } from "./search-text";

export const SETTLE_MS = 1_500;
const FLUSH_INTERVAL_MS = 1_000;
// Beyond this many open bursts (a flood of distinct clients), the oldest are written at once.
const MAX_PENDING = 5_000;
const SEARCH_KEY = /^[A-Za-z0-9_-]{8,64}$/;

interface PendingSearch {
  query: string;
  resultCount: number;
  durationMs: number;
  surface: "page" | "api";
  searchKey: string | null;
  opened: boolean;
  lastAt: number;
  searchedAt: Date;
  settled: boolean;
}

const state = {
  searches: new Map<string, PendingSearch>(),
  /** Searches already written whose result was opened since: marked at the next flush. */
  openedKeys: new Set<string>(),
  views: new Map<string, number>(),
  timer: null as NodeJS.Timeout | null,
  flushing: null as Promise<void> | null,
};

export const isSearchKey = (value: unknown): value is string => typeof value === "string" && SEARCH_KEY.test(value);

/** A key for a search that came without one (the search page with JavaScript off): its result links carry it. */
export const newSearchKey = (): string => randomBytes(12).toString("base64url");

/** Notes one search request; nothing is written until the search settles. */
export function noteSearch({
  query,
  resultCount,
  durationMs,
  surface,
  searchKey,
  clientKey,
}: {
  query: string;
  resultCount: number;
  durationMs: number;
  surface: "page" | "api";
  searchKey?: string | null;
  clientKey?: string | null;
}): void {
  const logged = normalizeQueryForLog(query);
  if (!logged) return;
  const key = isSearchKey(searchKey) ? `key:${searchKey}` : `client:${clientKey ?? "unknown"}:${surface}`;
  const previous = state.searches.get(key);
  state.searches.delete(key);
  state.searches.set(key, {
    query: logged,
    resultCount,
    durationMs: Math.round(durationMs * 1000) / 1000,
    surface,
    searchKey: isSearchKey(searchKey) ? searchKey : null,
    opened: previous?.opened ?? false,
    lastAt: Date.now(),
    searchedAt: new Date(),
    // A submitted search is what the reader meant: it closes the burst.
    settled: surface === "page",
  });
  if (state.searches.size > MAX_PENDING) {
    const [oldest] = state.searches.keys();
    state.searches.get(oldest)!.settled = true;
  }
  ensureTimer();
}

/** A result of the search with this key was opened. */
export function noteResultOpened(searchKey: string): void {
  if (!isSearchKey(searchKey)) return;
  const pending = state.searches.get(`key:${searchKey}`);
  if (pending) pending.opened = true;
  else state.openedKeys.add(searchKey);
  ensureTimer();
}

/** Counts a page view of a live article (by its slug). */
export function countArticleView(slug: string): void {
  state.views.set(slug, (state.views.get(slug) ?? 0) + 1);
  ensureTimer();
}

function ensureTimer() {
  if (state.timer) return;
  state.timer = setInterval(() => {
    flushReadingLog({ all: false }).catch(() => {});
  }, FLUSH_INTERVAL_MS);
  state.timer.unref();
}

/**
 * Writes what has gathered: settled searches (all pending ones with `all`, at shutdown and in
 * tests), opened marks and view counts. One flush at a time; a failed batch is logged and dropped
 * (a reading log is not worth failing or piling up for).
 */
export async function flushReadingLog({ all = true }: { all?: boolean } = {}): Promise<void> {
  while (state.flushing) await state.flushing;
  state.flushing = writeBatch(all).finally(() => {
    state.flushing = null;
  });
  return state.flushing;
}

async function writeBatch(all: boolean) {
  const now = Date.now();
  const settled: PendingSearch[] = [];
  for (const [key, search] of state.searches) {
    if (all || search.settled || now - search.lastAt >= SETTLE_MS) {
      settled.push(search);
      state.searches.delete(key);
    }
  }
  const opened = [...state.openedKeys];
  state.openedKeys.clear();
  const views = [...state.views];
  state.views.clear();
  if (state.searches.size === 0 && state.timer && settled.length === 0 && opened.length === 0 && views.length === 0) {
    clearInterval(state.timer);
    state.timer = null;
    return;
  }
  try {
    if (settled.length > 0) {
      await db.insert(kbSearchLog).values(
        settled.map((s) => ({
          query: s.query,
          resultCount: s.resultCount,
          durationMs: s.durationMs,
          surface: s.surface,
          searchKey: s.searchKey,
          opened: s.opened,
          searchedAt: s.searchedAt,
        }))
      );
    }
    if (opened.length > 0) {
      await db.execute(
        sql`update kb_search_log set opened = true where search_key in ${sql`(${sql.join(
          opened.map((k) => sql`${k}`),
          sql`, `
        )})`} and not opened`
      );
    }
    if (views.length > 0) {
      const bySlug = new Map((await listLiveArticles()).map((a) => [a.slug, a.articleId]));
      const day = new Date().toISOString().slice(0, 10);
      const rows = views.flatMap(([slug, count]) => (bySlug.has(slug) ? [{ articleId: bySlug.get(slug)!, day, views: count }] : []));
      if (rows.length > 0) {
        await db
          .insert(kbArticleViews)
          .values(rows)
          .onConflictDoUpdate({
            target: [kbArticleViews.articleId, kbArticleViews.day],
            set: { views: sql`${kbArticleViews.views} + excluded.views` },
          });
      }
    }
  } catch (error) {
    console.error("reading log not written: %s", describeErrorForLog(error));
  }
}

/** Tests start from an empty database: drop anything gathered before. */
export function forgetReadingLog(): void {
  state.searches.clear();
  state.openedKeys.clear();
  state.views.clear();
}
