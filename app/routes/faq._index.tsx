import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ArticleList } from "~/components/kb/article-list";
import { Breadcrumbs } from "~/components/kb/breadcrumbs";
import { StillNeedHelp } from "~/components/kb/still-need-help";
import { config } from "~/lib/config.server";
import { hasPersonalCookie } from "~/lib/visitor.server";
import { CATEGORIES, cacheControl, listLiveArticles } from "~/modules/kb";
import kbStyles from "~/styles/kb.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: "All articles · badgedesk help" },
  { name: "description", content: "Every help center article, by topic." },
  ...(data ? [{ tagName: "link", rel: "canonical", href: data.canonicalUrl }] : []),
];

export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? cacheControl.PERSONAL_PAGE, Vary: "Cookie" });

export async function loader({ request }: LoaderFunctionArgs) {
  const articles = await listLiveArticles();
  return data(
    {
      categories: CATEGORIES.map((c) => ({
        slug: c.slug,
        name: c.name,
        articles: articles.filter((a) => a.category === c.slug).map(({ slug, url, title, summary }) => ({ slug, url, title, summary })),
      })),
      canonicalUrl: `${config.appUrl}/faq`,
    },
    { headers: { "Cache-Control": hasPersonalCookie(request) ? cacheControl.PERSONAL_PAGE : cacheControl.PUBLIC_PAGE } },
  );
}

export default function AllArticles() {
  const { categories } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs trail={[{ label: "Help center", to: "/" }, { label: "All articles" }]} />
      <h1>All articles</h1>
      {categories.map((category) => (
        <section key={category.slug} aria-labelledby={`category-${category.slug}`}>
          <h2 id={`category-${category.slug}`}>
            <Link to={`/faq/${category.slug}`}>{category.name}</Link>
          </h2>
          <ArticleList articles={category.articles} />
        </section>
      ))}
      <StillNeedHelp />
    </>
  );
}
