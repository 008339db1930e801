import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ArticleList } from "~/components/kb/article-list";
import { Breadcrumbs } from "~/components/kb/breadcrumbs";
import { StillNeedHelp } from "~/components/kb/still-need-help";
import { config } from "~/lib/config.server";
import { hasPersonalCookie } from "~/lib/visitor.server";
import { cacheControl, findCategory, listLiveArticles } from "~/modules/kb";
import kbStyles from "~/styles/kb.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.category.name} · badgedesk help` },
        { name: "description", content: data.category.description },
        { tagName: "link", rel: "canonical", href: data.canonicalUrl },
      ]
    : [{ title: "Topic not found · badgedesk help" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? cacheControl.PERSONAL_PAGE, Vary: "Cookie" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const category = findCategory(params.category ?? "");
  if (!category) throw new Response("Not found", { status: 404 });
  const articles = (await listLiveArticles()).filter((a) => a.category === category.slug);
  return data(
    {
      category: { slug: category.slug, name: category.name, description: category.description },
      articles: articles.map(({ slug, url, title, summary }) => ({ slug, url, title, summary })),
      canonicalUrl: `${config.appUrl}/faq/${category.slug}`,
    },
    { headers: { "Cache-Control": hasPersonalCookie(request) ? cacheControl.PERSONAL_PAGE : cacheControl.PUBLIC_PAGE } },
  );
}

export default function CategoryPage() {
  const { category, articles } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs trail={[{ label: "Help center", to: "/" }, { label: category.name }]} />
      <h1>{category.name}</h1>
      <p className="lead">{category.description}</p>
      {articles.length > 0 ? <ArticleList articles={articles} headingLevel={2} /> : <p>There are no articles on this topic yet.</p>}
      <StillNeedHelp />
    </>
  );
}
