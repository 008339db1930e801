import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/kb/breadcrumbs";
import { SearchBox } from "~/components/kb/search-box";
import { Snippet } from "~/components/kb/snippet";
import { StillNeedHelp } from "~/components/kb/still-need-help";
import { config } from "~/lib/config.server";
import { cacheControl, searchArticles } from "~/modules/kb";
import { CATEGORIES } from "~/modules/kb/categories";
import kbStyles from "~/styles/kb.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.query ? `“${data.query}” — search · badgedesk help` : "Search · badgedesk help" },
  { name: "description", content: "Search the badgedesk help center." },
  { name: "robots", content: "noindex" },
  ...(data ? [{ tagName: "link", rel: "canonical", href: data.canonicalUrl }] : []),
];

export const headers: HeadersFunction = () => ({ "Cache-Control": cacheControl.SEARCH_RESULTS });

export async function loader({ request }: LoaderFunctionArgs) {
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 200);
  const canonicalUrl = `${config.appUrl}/search`;
  if (!query.trim()) return data({ query: "", results: [], corrections: [], canonicalUrl });
  const { results, corrections } = await searchArticles({ query, limit: 20, surface: "page" });
  return data({ query, results, corrections, canonicalUrl });
}

export default function SearchPage() {
  const { query, results, corrections } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs trail={[{ label: "Help center", to: "/" }, { label: "Search" }]} />
      <h1>{query.trim() ? <>Search results for “{query.trim()}”</> : "Search the help center"}</h1>
      <SearchBox defaultValue={query} key={query} />
      {query.trim() ? (
        <p role="status" className="kb-search-summary">
          {results.length === 0 ? "No articles found." : `${results.length} article${results.length === 1 ? "" : "s"} found.`}
          {corrections.length > 0 ? <> Showing results for {corrections.map((c, i) => <span key={c.from}>{i > 0 ? ", " : ""}<strong>{c.to}</strong> (you typed “{c.from}”)</span>)}.</> : null}
        </p>
      ) : null}
      {results.length > 0 ? (
        <ol className="kb-results">
          {results.map((result) => (
            <li key={result.slug}>
              <h2 className="kb-results__title">
                <Link to={result.url}>{result.title}</Link>
              </h2>
              <p className="kb-results__snippet">
                <Snippet snippet={result.snippet} highlights={result.highlights} />
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {query.trim() && results.length === 0 ? (
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
