// /editor/articles/<id>/history: every revision with its author, time and message; the word
// diff between any two; rollback (an old revision published again as a new one).
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DiffView } from "~/components/editor/diff-view";
import { EditorNav } from "~/components/editor/editor-nav";
import { formatMoment } from "~/lib/dates";
import { isUuid } from "~/lib/uuid";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { compareRevisions, findArticleForEditing, rollBackToRevision } from "~/modules/kb";
import editorStyles from "~/styles/editor.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `History of “${data.article.latest.fields.title}” · Editor · badgedesk` : "History · Editor · badgedesk",
  },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStyles }];
export const headers: HeadersFunction = () => ({
  "Cache-Control": "private, no-store",
});

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "editor");
  if (!isUuid(params.articleId ?? "")) throw notFound();
  const article = await findArticleForEditing(params.articleId!);
  if (!article) throw notFound();
  const search = new URL(request.url).searchParams;
  const ids = new Set(article.revisions.map((r) => r.id));
  // By default: what the newest revision changed.
  const to = ids.has(search.get("to") ?? "") ? search.get("to")! : article.revisions[0].id;
  const from = ids.has(search.get("from") ?? "") ? search.get("from")! : article.revisions[1]?.id ?? to;
  const diff = await compareRevisions({ articleId: article.id, from, to });
  return { article, from, to, diff };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const editor = await requireRole(request, "editor");
  if (!isUuid(params.articleId ?? "")) throw notFound();
  const form = await request.formData();
  const revisionId = String(form.get("revisionId") ?? "");
  if (form.get("intent") !== "rollback" || !isUuid(revisionId)) return data({ message: "That change was not understood. Please try again." }, { status: 400 });
  const result = await rollBackToRevision({
    articleId: params.articleId!,
    revisionId,
    authorId: editor.id,
    baseRevisionId: String(form.get("baseRevisionId") ?? "") || undefined,
  });
  if (!result.ok) {
    if (result.reason === "not_found") throw notFound();
    return data(
      {
        message: "Someone saved this article while you were looking. Check the newest revision, then roll back again if you still want to.",
      },
      { status: 409 }
    );
  }
  return redirectWithNotice(`/editor/articles/${params.articleId}/history`, `Published the old text again as revision ${result.number}.`);
}

export default function ArticleHistory() {
  const { article, from, to, diff } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const label = (id: string) => {
    const r = article.revisions.find((x) => x.id === id)!;
    return `Revision ${r.number}${r.live ? " (live)" : ""}`;
  };
  return (
    <>
      <EditorNav current="articles" />
      <p className="breadcrumb">
        <Link to="/editor">← Articles</Link> · <Link to={`/editor/articles/${article.id}`}>Edit “{article.latest.fields.title}”</Link>
      </p>
      <h1>History of “{article.latest.fields.title}”</h1>
      {result?.message ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="data">
          <caption className="visually-hidden">Revisions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">Author and time</th>
              <th scope="col">Message</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {article.revisions.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.number}{" "}
                  {r.live ? (
                    <span className="status-pill status-pill--published">live</span>
                  ) : r.publishedAt ? null : (
                    <span className="status-pill status-pill--draft">draft</span>
                  )}
                </td>
                <td>
                  {r.authorName ?? (r.origin === "import" ? "Imported from content/" : "Unknown")}
                  <br />
                  <span className="muted">{formatMoment(r.createdAt)}</span>
                </td>
                <td>{r.message || <span className="muted">No message</span>}</td>
                <td>
                  {r.live ? null : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="rollback" />
                      <input type="hidden" name="revisionId" value={r.id} />
                      <input type="hidden" name="baseRevisionId" value={article.latest.id} />
                      <button type="submit" className="button button--small button--quiet">
                        Publish revision {r.number} again
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="compare-title">Compare revisions</h2>
      <Form method="get" className="editor-filters" aria-labelledby="compare-title">
        <RevisionChoice name="from" legend="From" value={from} revisions={article.revisions} label={label} />
        <RevisionChoice name="to" legend="To" value={to} revisions={article.revisions} label={label} />
        <button type="submit" className="button button--quiet">
          Compare
        </button>
      </Form>
      {diff ? (
        <>
          <p>
            Changes from revision {diff.from} to revision {diff.to}: <del>removed words</del> and <ins>added words</ins>.
          </p>
          <DiffView parts={diff.parts} label={`Revision ${diff.from} compared with revision ${diff.to}`} />
        </>
      ) : null}
    </>
  );
}

/** One end of the comparison: a revision chosen from the article's list. */
function RevisionChoice({ name, legend, value, revisions, label }: { name: string; legend: string; value: string; revisions: { id: string }[]; label: (id: string) => string }) {
  return (
    <div className="field">
      <label htmlFor={`compare-${name}`}>{legend}</label>
      <select id={`compare-${name}`} name={name} defaultValue={value}>
        {revisions.map((r) => (
          <option key={r.id} value={r.id}>
            {label(r.id)}
          </option>
        ))}
      </select>
    </div>
  );
}
