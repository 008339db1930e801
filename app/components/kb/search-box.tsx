// The help center's search box. Without JavaScript it is a plain GET form to /search; with it,
// matching articles appear under the box as you type (debounced, from /api/search), as a list of
// links: ↓ moves into the list (and reopens it), ↑/↓ between results, Esc closes it and keeps what was typed.
import { Form, Link } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Snippet } from "./snippet";

interface InstantResult {
  slug: string;
  url: string;
  title: string;
  snippet: string;
  highlights: [number, number][];
}

const DEBOUNCE_MS = 150;
const INSTANT_LIMIT = 6;

// The header's box is on every page, beside the one a help-center page may have, so it has its own
// names (landmark and field) and a shorter hint.
const HEADER = { landmark: "Site", label: "Search all help articles", placeholder: "Search help articles" };

export function SearchBox({
  defaultValue = "",
  label = "Search the help center",
  size = "large",
  autoFocus = false,
}: {
  defaultValue?: string;
  label?: string;
  size?: "large" | "header";
  autoFocus?: boolean;
}) {
  const inHeader = size === "header";
  const id = useId();
  const inputId = `${id}-q`;
  const listId = `${id}-results`;
  const [query, setQuery] = useState(defaultValue);
  const [results, setResults] = useState<InstantResult[] | null>(null);
  const [open, setOpen] = useState(false);
  const cache = useRef(new Map<string, InstantResult[]>());
  const latest = useRef(0);
  const root = useRef<HTMLFormElement>(null);
  const input = useRef<HTMLInputElement>(null);
  // One key per search (a typing burst, then a submit or an opened result): the search log
  // counts the burst as one search. Made in the browser, so it exists only with JavaScript.
  const searchKey = useRef<string | null>(null);
  const [keyForForm, setKeyForForm] = useState<string | null>(null);
  const currentKey = () => {
    if (!searchKey.current) {
      const bytes = crypto.getRandomValues(new Uint8Array(12));
      searchKey.current = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      setKeyForForm(searchKey.current);
    }
    return searchKey.current;
  };
  const resultOpened = () => {
    if (searchKey.current) navigator.sendBeacon?.("/api/search-opened", new URLSearchParams({ k: searchKey.current }));
    searchKey.current = null;
  };

  // Words typed before the page's script took over are in the field but not yet in state.
  useEffect(() => {
    const typed = input.current?.value;
    if (typed !== undefined && typed !== query) setQuery(typed);
    // Only once, on arrival: afterwards the field and the state change together.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const text = query.trim();
    if (text.length < 2) {
      setResults(null);
      return;
    }
    const cached = cache.current.get(query);
    if (cached) {
      setResults(cached);
      return;
    }
    const ticket = ++latest.current;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/search?q=${encodeURIComponent(query)}&limit=${INSTANT_LIMIT}&k=${currentKey()}`, { signal: controller.signal, headers: { accept: "application/json" } });
        if (!response.ok) return;
        const body = (await response.json()) as { results: InstantResult[] };
        cache.current.set(query, body.results);
        if (ticket === latest.current) setResults(body.results);
      } catch {
        // Aborted by the next keystroke, or offline: the form still submits to /search.
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const showResults = open && results !== null && query.trim().length >= 2;
  const focusFirstResult = useRef(false);
  useEffect(() => {
    if (open && focusFirstResult.current) {
      focusFirstResult.current = false;
      links()[0]?.focus();
    }
  });
  const links = () => Array.from(root.current?.querySelectorAll<HTMLAnchorElement>(".instant-results a") ?? []);
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === "Escape") {
      // A search field clears itself on Escape; while the list is open, Escape only closes the list.
      if (showResults) event.preventDefault();
      setOpen(false);
      input.current?.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const list = links();
    if (list.length === 0) {
      // The list was closed (Escape, or focus left): ↓ opens it again, on its first result.
      if (event.key === "ArrowDown" && results && results.length > 0 && query.trim().length >= 2) {
        event.preventDefault();
        focusFirstResult.current = true;
        setOpen(true);
      }
      return;
    }
    event.preventDefault();
    setOpen(true);
    const at = list.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === "ArrowDown") list[Math.min(at + 1, list.length - 1)]?.focus();
    else if (at <= 0) input.current?.focus();
    else list[at - 1]?.focus();
  };

  const announcement = results === null || query.trim().length < 2 ? "" : results.length === 0 ? "No articles match yet." : `${results.length} article${results.length === 1 ? "" : "s"} found. Press the down arrow to go to them.`;
  return (
    <Form
      method="get"
      action="/search"
      role="search"
      aria-label={inHeader ? HEADER.landmark : "Help center"}
      className={`kb-search kb-search--${size}`}
      ref={root}
      onKeyDown={onKeyDown}
      onSubmit={() => {
        // The submitted search ends this one; the hidden field already carries its key.
        searchKey.current = null;
      }}
      onFocus={() => setOpen(true)}
      onBlur={(event) => {
        if (!root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <label htmlFor={inputId} className={size === "large" ? "kb-search__label" : "visually-hidden"}>
        {inHeader ? HEADER.label : label}
      </label>
      <div className="kb-search__row">
        <input
          ref={input}
          id={inputId}
          name="q"
          type="search"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
          }}
          placeholder={inHeader ? HEADER.placeholder : "e.g. my badge is not in my backpack"}
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          autoFocus={autoFocus}
        />
        <button type="submit" className="button">
          Search
        </button>
        {keyForForm ? <input type="hidden" name="k" value={keyForForm} /> : null}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {open ? announcement : ""}
      </p>
      {showResults ? (
        <div className="instant-results" id={listId}>
          {results.length === 0 ? (
            <p className="instant-results__empty">No articles match “{query.trim()}” yet. Press Enter to search everything.</p>
          ) : (
            <ul aria-label="Matching articles">
              {results.map((result) => (
                <li key={result.slug}>
                  {/* The title is the link's name; the snippet describes it (read after a pause). */}
                  <Link
                    to={result.url}
                    onClick={() => {
                      resultOpened();
                      setOpen(false);
                    }} aria-describedby={`${listId}-${result.slug}`}>
                    <span className="instant-results__title">{result.title}</span>
                  </Link>
                  <span className="instant-results__snippet" id={`${listId}-${result.slug}`}>
                    <Snippet snippet={result.snippet} highlights={result.highlights} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </Form>
  );
}
