import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ArticleList } from "~/components/kb/article-list";
import { SearchBox } from "~/components/kb/search-box";
import { StillNeedHelp } from "~/components/kb/still-need-help";
import { config } from "~/lib/config.server";
import { hasPersonalCookie } from "~/lib/visitor.server";
import { CATEGORIES, cacheControl, listLiveArticles, mostHelpfulArticles } from "~/modules/kb";
import kbStyles from "~/styles/kb.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: "Help center · badgedesk" },
  { name: "description", content: "Answers about your badges, your backpack, your email addresses and pathways — and Customer Care when you need a person." },
  ...(data ? [{ tagName: "link", rel: "canonical", href: data.canonicalUrl }] : []),
];

export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? cacheControl.PERSONAL_PAGE, Vary: "Cookie" });

// The questions learners ask most (the seed page), shown until votes say otherwise.
const MOST_ASKED = ["lost-award-email", "email-address-changed", "badge-not-showing-in-backpack", "badge-vanished-from-backpack", "lost-pathway-invitation", "verification-email-not-received"];

export async function loader({ request }: LoaderFunctionArgs) {
  const [articles, helpful] = await Promise.all([listLiveArticles(), mostHelpfulArticles({ limit: 6, fallbackSlugs: MOST_ASKED })]);
  const counts = new Map<string, number>();
  for (const article of articles) counts.set(article.category, (counts.get(article.category) ?? 0) + 1);
  return data(
    {
      categories: CATEGORIES.map((c) => ({ slug: c.slug, name: c.name, description: c.description, count: counts.get(c.slug) ?? 0 })),
      helpful: helpful.map(({ slug, url, title, summary }) => ({ slug, url, title, summary })),
      canonicalUrl: `${config.appUrl}/`,
    },
    { headers: { "Cache-Control": hasPersonalCookie(request) ? cacheControl.PERSONAL_PAGE : cacheControl.PUBLIC_PAGE } },
  );
}

export default function Home() {
  const { categories, helpful } = useLoaderData<typeof loader>();
  return (
    <div className="kb-home">
      <section className="kb-hero">
        <h1>How can we help?</h1>
        <p className="lead">Answers about your badges, your backpack and your account — and Customer Care when you need a person.</p>
        <SearchBox />
      </section>
      <section aria-labelledby="categories-title">
        <h2 id="categories-title">Browse by topic</h2>
        <ul className="kb-categories">
          {categories.map((category) => (
            <li key={category.slug} className="card">
              <h3>
                <Link to={`/faq/${category.slug}`}>{category.name}</Link>
              </h3>
              <p>{category.description}</p>
              <p className="muted">
                {category.count} article{category.count === 1 ? "" : "s"}
              </p>
            </li>
          ))}
        </ul>
      </section>
      {helpful.length > 0 ? (
        <section aria-labelledby="helpful-title">
          <h2 id="helpful-title">Most helpful articles</h2>
          <ArticleList articles={helpful} />
        </section>
      ) : null}
      <StillNeedHelp />
    </div>
  );
}
