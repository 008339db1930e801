import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ArticleFeedback, type FeedbackActionData } from "~/components/kb/article-feedback";
import { Breadcrumbs } from "~/components/kb/breadcrumbs";
import { StillNeedHelp } from "~/components/kb/still-need-help";
import { config } from "~/lib/config.server";
import { formatDay } from "~/lib/dates";
import { parseForm } from "~/lib/forms";
import { ensureVoterKey, findVoterKey, hasPersonalCookie } from "~/lib/visitor.server";
import { getViewer } from "~/modules/auth";
import {
  cacheControl,
  countArticleView,
  findCategory,
  findLiveArticle,
  findRetiredAddress,
  findVoterState,
  listLiveArticles,
  recordFeedback,
  recordVote,
  relatedArticles,
} from "~/modules/kb";
import { CommentForm, VoteForm } from "~/modules/kb/feedback-forms";
import kbStyles from "~/styles/kb.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Article not found · badgedesk help" }];
  return [
    { title: `${data.article.title} · badgedesk help` },
    { name: "description", content: data.article.summary },
    { tagName: "link", rel: "canonical", href: data.canonicalUrl },
  ];
};

// A refused vote's Retry-After comes from the action; Remix keeps only what this function returns.
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return { "Cache-Control": loaderHeaders.get("Cache-Control") ?? cacheControl.PERSONAL_PAGE, Vary: "Cookie", ...(retryAfter ? { "Retry-After": retryAfter } : {}) };
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const article = await findLiveArticle(params.slug ?? "");
  if (!article) {
    // An old address of a moved article, or an archived one: its replacement, or "gone".
    const retired = await findRetiredAddress(params.slug ?? "");
    if (retired?.kind === "moved") throw redirect(retired.url, 301);
    if (retired?.kind === "gone") throw new Response("This article was removed.", { status: 410, statusText: "Gone" });
    throw new Response("Not found", { status: 404 });
  }
  // The article moved to another category: send readers and search engines to its address.
  if (article.category !== params.category) throw redirect(article.url, 301);
  const viewer = await getViewer(request);
  // The page cache renders through here once per version (not a reader) and counts its own hits.
  if (context?.clientIp !== "page-cache") countArticleView(article.slug);
  const voterKey = await findVoterKey(request, viewer);
  const [feedback, catalog] = await Promise.all([findVoterState({ articleId: article.articleId, voterKey }), listLiveArticles()]);
  const category = findCategory(article.category);
  return data(
    {
      article: { slug: article.slug, url: article.url, title: article.title, summary: article.summary, updatedOn: article.updatedOn, html: article.html, headings: article.headings },
      category: category ? { slug: category.slug, name: category.name } : null,
      related: relatedArticles(article, catalog).map(({ slug, url, title }) => ({ slug, url, title })),
      feedback,
      prefillEmail: viewer?.email ?? "",
      canonicalUrl: `${config.appUrl}${article.url}`,
    },
    { headers: { "Cache-Control": hasPersonalCookie(request) || viewer ? cacheControl.PERSONAL_PAGE : cacheControl.PUBLIC_PAGE } },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await getViewer(request);
  const form = await request.formData();
  const scripted = form.get("js") === "1";
  const slug = params.slug ?? "";
  const back = `/faq/${params.category}/${slug}#feedback`;
  const { voterKey, setCookie } = await ensureVoterKey(request, viewer);
  const headers = new Headers();
  if (setCookie) headers.append("Set-Cookie", setCookie);

  if (form.get("intent") === "vote") {
    const input = parseForm(form, VoteForm);
    if (!input.ok) return data({ errors: { form: "Choose Yes or No." } }, { status: 400, headers });
    const result = await recordVote({ slug, voterKey, helpful: input.data.helpful === "yes", clientKey: context.clientIp });
    if (!result.ok) return refusal(result, headers);
    return scripted ? data({ ok: true }, { headers }) : redirect(back, { headers });
  }

  const input = parseForm(form, CommentForm);
  if (!input.ok) return data({ errors: input.errors, values: input.values }, { status: 400, headers });
  const result = await recordFeedback({
    slug,
    voterKey,
    comment: input.data.comment,
    contactEmail: input.data.email || null,
    wantsContact: input.data.contact,
    requester: { accountId: viewer?.id ?? null, name: viewer?.name ?? null },
    clientKey: context.clientIp,
  });
  if (!result.ok) return refusal(result, headers, input.values);
  return scripted ? data({ ok: true }, { headers }) : redirect(back, { headers });
}

function refusal(result: { reason: "not_found" | "rate_limited"; retryAfterSeconds?: number }, headers: Headers, values?: Record<string, string>) {
  if (result.reason === "not_found") throw new Response("Not found", { status: 404 });
  headers.set("Retry-After", String(result.retryAfterSeconds ?? 60));
  const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 60) / 60));
  return data({ errors: { form: `We've had a lot of feedback from your network just now. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` }, values }, { status: 429, headers });
}

// One formatter for every render: building an Intl formatter per call cost ~0.7 ms a page.


export default function ArticlePage() {
  const { article, category, related, feedback, prefillEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FeedbackActionData | undefined;
  return (
    <div className="kb-article-layout">
      <article className="kb-article" aria-labelledby="article-title">
        <Breadcrumbs trail={[{ label: "Help center", to: "/" }, ...(category ? [{ label: category.name, to: `/faq/${category.slug}` }] : []), { label: article.title }]} />
        <h1 id="article-title">{article.title}</h1>
        <p className="lead">{article.summary}</p>
        <p className="kb-article__updated muted">
          Last updated <time dateTime={article.updatedOn}>{formatDay(article.updatedOn)}</time>
        </p>
        {article.headings.filter((h) => h.level === 2).length >= 2 ? (
          <nav aria-label="On this page" className="kb-toc">
            <p className="kb-toc__title">On this page</p>
            <ul>
              {article.headings
                .filter((h) => h.level === 2)
                .map((heading) => (
                  <li key={heading.id}>
                    <a href={`#${heading.id}`}>{heading.text}</a>
                  </li>
                ))}
            </ul>
          </nav>
        ) : null}
        {/* Server-compiled HTML of an allow-listed MDX revision (article-compiler.server.ts), not user text. */}
        <div className="kb-article__body" dangerouslySetInnerHTML={{ __html: article.html }} />
        <ArticleFeedback state={feedback} actionData={actionData} prefillEmail={prefillEmail} />
        <StillNeedHelp articleSlug={article.slug} />
      </article>
      <div className="kb-article-aside">
        {related.length > 0 ? (
          <nav aria-labelledby="related-title" className="kb-related">
            <h2 id="related-title">Related articles</h2>
            <ul>
              {related.map((r) => (
                <li key={r.slug}>
                  <Link to={r.url}>{r.title}</Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </div>
    </div>
  );
}
