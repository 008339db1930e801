// /editor/insights?days=7|30|90: what readers looked for and didn't find, searches whose results
// nobody opened, the articles with the most "No" votes and their comments (mark handled), and the
// ticket form's suggestions that were opened after which no ticket was sent.
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/editor/bar-chart";
import { EditorNav } from "~/components/editor/editor-nav";
import { formatMoment } from "~/lib/dates";
import { isUuid } from "~/lib/uuid";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { dailyActivity, listLiveArticles, markCommentHandled, mostUnhelpfulArticles, unopenedSearches, zeroResultSearches } from "~/modules/kb";
import { describeSearches, describeVotes, INSIGHT_PERIODS } from "~/modules/kb/insights-charts";
import { summarizeSuggestionDeflection } from "~/modules/tickets";
import editorStyles from "~/styles/editor.css?url";

export const meta: MetaFunction = () => [{ title: "Insights · Editor · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStyles }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const periodOf = (request: Request) => {
  const asked = Number(new URL(request.url).searchParams.get("days"));
  return (INSIGHT_PERIODS as readonly number[]).includes(asked) ? asked : 30;
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "editor");
  const days = periodOf(request);
  const [zero, unopened, unhelpful, activity, deflection, live] = await Promise.all([
    zeroResultSearches(days),
    unopenedSearches(days),
    mostUnhelpfulArticles(days),
    dailyActivity(days),
    summarizeSuggestionDeflection({ since: new Date(Date.now() - days * 86_400_000) }),
    listLiveArticles(),
  ]);
  const titles = new Map(live.map((a) => [a.slug, { title: a.title, url: a.url }]));
  const abandoned = deflection.articles
    .filter((a) => a.openedThenAbandoned > 0)
    .slice(0, 15)
    .map((a) => ({ ...a, title: titles.get(a.articleSlug)?.title ?? a.articleSlug, url: titles.get(a.articleSlug)?.url ?? null }));
  return { days, zero, unopened, unhelpful, activity, abandoned, deflectionTotals: deflection.totals };
}

export async function action({ request }: ActionFunctionArgs) {
  const editor = await requireRole(request, "editor");
  const form = await request.formData();
  const feedbackId = String(form.get("feedbackId") ?? "");
  if (form.get("intent") !== "handled" || !isUuid(feedbackId)) return data({ message: "That change was not understood. Please try again." }, { status: 400 });
  if (!(await markCommentHandled({ feedbackId, editorId: editor.id }))) throw new Response("Not found", { status: 404 });
  const back = new URL(request.url);
  return redirectWithNotice(`${back.pathname}${back.search}#comments-title`, "The comment is marked handled.");
}

export default function Insights() {
  const { days, zero, unopened, unhelpful, activity, abandoned, deflectionTotals } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const dayLabels = activity.map((p) => p.day);
  return (
    <>
      <EditorNav current="insights" />
      <h1>Insights</h1>
      <nav aria-label="Period" className="insights-periods">
        {INSIGHT_PERIODS.map((period) => (
          <Link key={period} to={`/editor/insights?days=${period}`} aria-current={period === days ? "page" : undefined}>
            Last {period} days
          </Link>
        ))}
      </nav>
      {result?.message ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      <div className="insights-grid">
        <BarChart
          id="chart-searches"
          title="Searches per day"
          summary={describeSearches(activity, days)}
          days={dayLabels}
          series={[
            { name: "Found articles", className: "chart-bar--primary", values: activity.map((p) => p.searches - p.zeroResults) },
            { name: "Found nothing", className: "chart-bar--bad", values: activity.map((p) => p.zeroResults) },
          ]}
        />
        <BarChart
          id="chart-votes"
          title="Helpfulness votes per day"
          summary={describeVotes(activity, days)}
          days={dayLabels}
          series={[
            { name: "Yes", className: "chart-bar--ok", values: activity.map((p) => p.yes) },
            { name: "No", className: "chart-bar--bad", values: activity.map((p) => p.no) },
          ]}
        />
      </div>

      <div className="insights-grid">
        <section aria-labelledby="zero-title">
          <h2 id="zero-title">Searches that found nothing</h2>
          <QueryTable rows={zero} empty="Every search found something." caption="Searches that found nothing, most frequent first" />
        </section>
        <section aria-labelledby="unopened-title">
          <h2 id="unopened-title">Searches whose results nobody opened</h2>
          <p className="muted">Only searches from the search box with JavaScript can tell whether a result was opened.</p>
          <QueryTable rows={unopened} empty="Every search had a result opened." caption="Searches with results that nobody opened" />
        </section>
      </div>

      <section aria-labelledby="comments-title">
        <h2 id="comments-title">Articles with the most “No” votes</h2>
        {unhelpful.length === 0 ? (
          <p>No “No” votes in this period.</p>
        ) : (
          unhelpful.map((article) => (
            <article key={article.articleId} className="card" aria-labelledby={`no-${article.articleId}`}>
              <h3 id={`no-${article.articleId}`}>
                <Link to={`/editor/articles/${article.articleId}`}>{article.title}</Link>
              </h3>
              <p>
                {article.no} no, {article.yes} yes · <Link to={article.url}>Read it as readers do</Link>
              </p>
              {article.comments.length === 0 ? (
                <p className="muted">No open comments.</p>
              ) : (
                <ul className="comment-list" aria-label={`Open comments on “${article.title}”`}>
                  {article.comments.map((c) => (
                    <li key={c.id}>
                      {/* Reader text, rendered as text. */}
                      <blockquote>{c.comment}</blockquote>
                      <span className="muted">{formatMoment(c.createdAt)}</span>
                      <Form method="post">
                        <input type="hidden" name="intent" value="handled" />
                        <input type="hidden" name="feedbackId" value={c.id} />
                        <button type="submit" className="button button--small button--quiet">
                          Mark handled
                        </button>
                      </Form>
                    </li>
                  ))}
                </ul>
              )}
            </article>
          ))
        )}
      </section>

      <section aria-labelledby="deflection-title">
        <h2 id="deflection-title">Suggestions opened on the ticket form, then no ticket sent</h2>
        <p>
          Of {deflectionTotals.forms} ticket form{deflectionTotals.forms === 1 ? "" : "s"} with suggestions, {deflectionTotals.formsWithOpenedSuggestion} opened one; {deflectionTotals.deflected} then sent
          no ticket.
        </p>
        {abandoned.length === 0 ? (
          <p className="muted">No suggestion was opened and followed by an unsent form in this period.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <caption className="visually-hidden">Articles opened from the ticket form, then no ticket sent</caption>
              <thead>
                <tr>
                  <th scope="col">Article</th>
                  <th scope="col">Suggested</th>
                  <th scope="col">Opened</th>
                  <th scope="col">Opened, then no ticket</th>
                </tr>
              </thead>
              <tbody>
                {abandoned.map((a) => (
                  <tr key={a.articleSlug}>
                    <td>{a.url ? <Link to={a.url}>{a.title}</Link> : a.title}</td>
                    <td>{a.shown}</td>
                    <td>{a.opened}</td>
                    <td>{a.openedThenAbandoned}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function QueryTable({ rows, empty, caption }: { rows: { query: string; searches: number; lastSeen: string | Date }[]; empty: string; caption: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-scroll">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Query</th>
            <th scope="col">Searches</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.query}>
              <td>
                <Link to={`/search?q=${encodeURIComponent(r.query)}`}>{r.query}</Link>
              </td>
              <td>{r.searches}</td>
              <td>{formatMoment(r.lastSeen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
