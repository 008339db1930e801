// /editor: every article with its status and what readers made of it, "needs attention" first.
import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatMoment } from "~/lib/dates";
import { DIAGNOSIS_CODE_MEANINGS, type DiagnosisCode } from "~/lib/diagnosis-codes";
import { requireRoleOrNotFound } from "~/modules/auth";
import { codesWithoutPublishedArticle, listEditorArticles } from "~/modules/kb";
import { CATEGORIES, findCategory } from "~/modules/kb/categories";
import { ATTENTION_DAYS, helpfulShare } from "~/modules/kb/editor-rules";
import { EditorNav, STATUS_LABELS } from "~/components/editor/editor-nav";
import editorStyles from "~/styles/editor.css?url";

export const meta: MetaFunction = () => [{ title: "Articles · Editor · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStyles }];
export const headers: HeadersFunction = () => ({
  "Cache-Control": "private, no-store",
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "editor");
  const params = new URL(request.url).searchParams;
  const category = CATEGORIES.some((c) => c.slug === params.get("category")) ? String(params.get("category")) : "";
  const query = (params.get("q") ?? "").slice(0, 200);
  const [articles, uncoveredCodes] = await Promise.all([listEditorArticles({ category, query }), codesWithoutPublishedArticle()]);
  return { articles, uncoveredCodes, category, query };
}

export default function EditorArticles() {
  const { articles, uncoveredCodes, category, query } = useLoaderData<typeof loader>();
  return (
    <>
      <EditorNav current="articles" />
      <div className="editor-heading">
        <h1>Articles</h1>
        <Link to="/editor/articles/new" className="button">
          New article
        </Link>
      </div>
      {uncoveredCodes.length > 0 ? (
        <div className="editor-warning" role="note">
          <p>
            <strong>No published article answers {uncoveredCodes.length === 1 ? "this finding" : "these findings"}</strong>, so learners who get{" "}
            {uncoveredCodes.length === 1 ? "it" : "them"} on My badges see no article:
          </p>
          <ul>
            {uncoveredCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>: {DIAGNOSIS_CODE_MEANINGS[code as DiagnosisCode]}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="get" className="editor-filters" role="search" aria-label="Filter articles">
        <div className="field">
          <label htmlFor="editor-q">Title</label>
          <input id="editor-q" name="q" type="search" defaultValue={query} />
        </div>
        <div className="field">
          <label htmlFor="editor-category">Category</label>
          <select id="editor-category" name="category" defaultValue={category}>
            <option value="">All categories</option>
            {CATEGORIES.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--quiet">
          Show
        </button>
      </Form>
      <p className="muted">
        {articles.length} article{articles.length === 1 ? "" : "s"}, those readers find least helpful first (with at least 5 votes in the last {ATTENTION_DAYS} days).
      </p>
      {articles.length === 0 ? (
        <p>No articles match.</p>
      ) : (
        <div className="table-scroll">
          <table className="data editor-articles">
            <caption className="visually-hidden">Articles</caption>
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col">Status</th>
                <th scope="col">Helpful ({ATTENTION_DAYS} days)</th>
                <th scope="col">Views</th>
                <th scope="col">Open comments</th>
                <th scope="col">Last edit</th>
              </tr>
            </thead>
            <tbody>
              {articles.map((a) => {
                const share = helpfulShare(a);
                return (
                  <tr key={a.id}>
                    <td>
                      <Link to={`/editor/articles/${a.id}`}>{a.title}</Link>
                      <br />
                      <span className="muted">{findCategory(a.category)?.name ?? a.category}</span>
                    </td>
                    <td>
                      <span className={`status-pill status-pill--${a.status}`}>{STATUS_LABELS[a.status]}</span>
                    </td>
                    <td>
                      {a.yes} yes, {a.no} no
                      {share !== null ? <> ({Math.round(share * 100)} % yes)</> : a.yes + a.no > 0 ? <span className="muted"> (too few to judge)</span> : null}
                    </td>
                    <td>{a.views}</td>
                    <td>{a.openComments}</td>
                    <td>
                      {a.lastEditor ?? "Imported from content/"}
                      <br />
                      <span className="muted">{formatMoment(a.lastEditedAt)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
