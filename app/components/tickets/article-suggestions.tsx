import { useEffect, useRef, useState } from "react";

export interface SuggestedArticle {
  slug: string;
  url: string;
  title: string;
  summary: string;
}

const DEBOUNCE_MS = 350;
const MIN_QUERY_LENGTH = 3;
export const SUGGESTION_LIMIT = 5;

/** The suggestion's link: through our counter (opened from this form), then to the article. */
export function suggestionHref({ draftId, article, query }: { draftId: string; article: SuggestedArticle; query: string }): string {
  const params = new URLSearchParams({ draft: draftId, slug: article.slug, to: article.url, q: query.slice(0, 200) });
  return `/tickets/suggestions?${params}`;
}

/**
 * The articles answering the learner's own account come first (the diagnosis found something
 * the learner may not have typed), then the search results, each article once.
 */
export function mergeSuggestions(pinned: readonly SuggestedArticle[], found: readonly SuggestedArticle[], limit = SUGGESTION_LIMIT): SuggestedArticle[] {
  const seen = new Set<string>();
  const merged: SuggestedArticle[] = [];
  for (const article of [...pinned, ...found]) {
    if (seen.has(article.url)) continue;
    seen.add(article.url);
    merged.push(article);
  }
  return merged.slice(0, limit);
}

type SearchState = { status: "idle" | "searching" | "done" | "unavailable"; query: string; articles: SuggestedArticle[] };

/**
 * FAQ articles matching what the learner types, beside the ticket form. Without JavaScript the
 * form's "Find answers" button fills `initial` on the server; with it, the search API is asked
 * (debounced) as the subject and description change. Articles open in a new tab so nothing
 * typed is lost. `pinned`: the articles answering the signed-in learner's account diagnosis,
 * shown first from the start.
 */
export function ArticleSuggestions({
  draftId,
  query,
  initial,
  pinned = [],
}: {
  draftId: string;
  query: string;
  initial: { query: string; articles: SuggestedArticle[] } | null;
  pinned?: readonly SuggestedArticle[];
}) {
  const [state, setState] = useState<SearchState>(() =>
    initial ? { status: "done", query: initial.query, articles: initial.articles } : { status: "idle", query: "", articles: [] },
  );
  const reported = useRef(new Set<string>());

  // "Find answers first" with JavaScript on: the server's answer replaces what is shown.
  useEffect(() => {
    if (initial) setState({ status: "done", query: initial.query, articles: initial.articles });
  }, [initial]);

  useEffect(() => {
    const q = query.trim();
    if (q.length < MIN_QUERY_LENGTH || q === state.query) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setState((s) => ({ ...s, status: "searching" }));
      try {
        const response = await fetch(`/api/search?${new URLSearchParams({ q, limit: String(SUGGESTION_LIMIT) })}`, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`search answered ${response.status}`);
        const body = (await response.json()) as { results?: Partial<SuggestedArticle>[] };
        const articles = (body.results ?? [])
          .filter((r): r is SuggestedArticle => typeof r.slug === "string" && typeof r.url === "string" && typeof r.title === "string")
          .map((r) => ({ slug: r.slug, url: r.url, title: r.title, summary: typeof r.summary === "string" ? r.summary : "" }))
          .slice(0, SUGGESTION_LIMIT);
        setState({ status: "done", query: q, articles });
        reportShown({ draftId, query: q, articles: mergeSuggestions(pinned, articles), reported: reported.current });
      } catch (error) {
        if (controller.signal.aborted) return;
        // Keep what was shown before; the form works without suggestions.
        setState((s) => ({ ...s, status: "unavailable" }));
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // state.query is read only to skip a search that already ran.
  }, [query, draftId]); // eslint-disable-line react-hooks/exhaustive-deps

  const { status } = state;
  // Server answers ("Find answers first") already lead with the pinned articles; merging again keeps each once.
  const articles = mergeSuggestions(pinned, state.articles);
  return (
    <section className="card suggestions" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading">Answers that may help</h2>
      <p className="suggestions__status muted" aria-live="polite">
        {statusText({ ...state, articles }, pinned.length > 0)}
      </p>
      {articles.length > 0 ? (
        <ul className="suggestions__list" aria-busy={status === "searching"}>
          {articles.map((article) => (
            <li key={article.slug}>
              <a href={suggestionHref({ draftId, article, query: state.query })} target="_blank" rel="noopener">
                {article.title}
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
              {article.summary ? <p>{article.summary}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function statusText({ status, articles, query }: SearchState, fromAccount: boolean): string {
  if (status === "unavailable" && articles.length === 0) return "Suggestions are unavailable right now. You can still send your ticket.";
  if (status === "idle" || !query) {
    return fromAccount
      ? "These articles answer what we found on your account. Start typing your subject for more."
      : "Start typing your subject and we'll suggest articles that may already answer it.";
  }
  if (articles.length === 0) return status === "searching" ? "Looking for articles…" : "No article matches yet. Add a few more words, or send your ticket.";
  return articles.length === 1 ? "1 article may answer your question." : `${articles.length} articles may answer your question.`;
}

/** Counts which articles were suggested on this form, once each, for the editors' deflection report. */
function reportShown({ draftId, query, articles, reported }: { draftId: string; query: string; articles: SuggestedArticle[]; reported: Set<string> }) {
  const fresh = articles.filter((a) => !reported.has(a.slug));
  if (fresh.length === 0) return;
  for (const a of fresh) reported.add(a.slug);
  const body = new URLSearchParams({ draftId, query });
  for (const a of fresh) body.append("slug", a.slug);
  // Not awaited and not a Remix fetcher: a revalidation would mint a new form key mid-draft.
  fetch("/tickets/suggestions", { method: "POST", body, keepalive: true }).catch(() => {});
}
