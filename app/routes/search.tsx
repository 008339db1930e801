import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { z } from "zod";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/kb/breadcrumbs";
import { SearchBox } from "~/components/kb/search-box";
import { Snippet } from "~/components/kb/snippet";
import { StillNeedHelp } from "~/components/kb/still-need-help";
import { config } from "~/lib/config.server";
import { cacheControl, isSearchKey, newSearchKey, searchArticles } from "~/modules/kb";
import { CATEGORIES, findCategory } from "~/modules/kb/categories";
import kbStyles from "~/styles/kb.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.query ? `“${data.query}” — search · badgedesk help` : "Search · badgedesk help" },
  { name: "description", content: "Search the badgedesk help center." },
  { name: "robots", content: "noindex" },
  ...(data ? [{ tagName: "link", rel: "canonical", href: data.canonicalUrl }] : []),
];

export const headers: HeadersFunction = () => ({ "Cache-Control": cacheControl.SEARCH_RESULTS });

const PAGE_SIZE = 20;
// Any page number a link or a hand-edited address can carry; nonsense means the first page.
const PageNumber = z.coerce.number().int().min(1).max(1000).catch(1);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const query = (params.get("q") ?? "").slice(0, 200);
  const page = PageNumber.parse(params.get("page") ?? 1);
  const canonicalUrl = `${config.appUrl}/search`;
  // The search box sends its key with JavaScript; without, the search gets one here, so that its
  // result links (through /search/open) can say it helped.
  const searchKey = isSearchKey(params.get("k")) ? params.get("k")! : newSearchKey();
  if (!query.trim()) return data({ query: "", page: 1, pageCount: 0, total: 0, results: [], corrections: [], canonicalUrl, searchKey });
  const { results, total, corrections } = await searchArticles({ query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, surface: "page", searchKey, clientKey: context.clientIp });
  // The article's topic is shown with each result; its address names it (/faq/<category>/<slug>).
  const withCategory = results.map((result) => ({ ...result, category: findCategory(result.url.split("/")[2] ?? "") }));
  return data({ query, page, pageCount: Math.ceil(total / PAGE_SIZE), total, results: withCategory, corrections, canonicalUrl, searchKey });
}

const openLink = (searchKey: string, articleUrl: string) => `/search/open?${new URLSearchParams({ k: searchKey, to: articleUrl })}`;
const pageLink = (query: string, page: number) => `/search?${new URLSearchParams(page > 1 ? { q: query, page: String(page) } : { q: query })}`;

export default function SearchPage() {
  const { query, page, pageCount, total, results, corrections, searchKey } = useLoaderData<typeof loader>();
  const first = (page - 1) * PAGE_SIZE + 1;
  return (
    <>
      <Breadcrumbs trail={[{ label: "Help center", to: "/" }, { label: "Search" }]} />
      <h1>{query.trim() ? <>Search results for “{query.trim()}”</> : "Search the help center"}</h1>
      <SearchBox defaultValue={query} key={query} />
      {query.trim() ? (
        <p role="status" className="kb-search-summary">
          {total === 0 ? "No articles found." : `${total} article${total === 1 ? "" : "s"} found.`}
          {pageCount > 1 && results.length > 0 ? ` Showing ${first}–${first + results.length - 1}.` : null}
          {corrections.length > 0 ? <> Showing results for {corrections.map((c, i) => <span key={c.from}>{i > 0 ? ", " : ""}<strong>{c.to}</strong> (you typed “{c.from}”)</span>)}.</> : null}
        </p>
      ) : null}
      {results.length > 0 ? (
        <ol className="kb-results">
          {results.map((result) => (
            <li key={result.slug}>
              <h2 className="kb-results__title">
                {/* Through /search/open, which tells the search log this search helped (with or without JavaScript). */}
                <Link to={openLink(searchKey, result.url)} reloadDocument>
                  {result.title}
                </Link>
              </h2>
              {result.category ? (
                <p className="kb-results__category">
                  <Link to={`/faq/${result.category.slug}`}>{result.category.name}</Link>
                </p>
              ) : null}
              <p className="kb-results__snippet">
                <Snippet snippet={result.snippet} highlights={result.highlights} />
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {pageCount > 1 ? (
        <nav aria-label="Result pages" className="kb-pages">
          {page > 1 ? (
            <Link to={pageLink(query, page - 1)} rel="prev">
              ← Previous
            </Link>
          ) : null}
          <span>
            Page {Math.min(page, pageCount)} of {pageCount}
          </span>
          {page < pageCount ? (
            <Link to={pageLink(query, page + 1)} rel="next">
              Next →
            </Link>
          ) : null}
        </nav>
      ) : null}
      {total > 0 && results.length === 0 ? (
        <p>
          There are fewer results than that. <Link to={pageLink(query, pageCount)}>Go to the last page</Link>
        </p>
      ) : null}
      {query.trim() && total === 0 ? (
        <section aria-labelledby="no-results-title" className="kb-no-results">
          <h2 id="no-results-title">Try this</h2>
          <ul>
            <li>Use fewer words, e.g. “badge missing” or “verify email”.</li>
            <li>Browse a topic: {CATEGORIES.map((c, i) => <span key={c.slug}>{i > 0 ? " · " : ""}<Link to={`/faq/${c.slug}`}>{c.name}</Link></span>)}</li>
          </ul>
        </section>
      ) : null}
      <StillNeedHelp />
    </>
  );
}
