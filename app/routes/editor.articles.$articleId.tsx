// /editor/articles/<id> (and /editor/articles/new): the front matter as fields, the MDX body, a
// preview by the public site's compiler (live with JavaScript, a Preview button without), Save
// draft and Publish, archive. History, diffs and rollback are at …/history.
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ArticleEditorForm, type EditorActionData } from "~/components/editor/article-editor-form";
import { EditorNav } from "~/components/editor/editor-nav";
import { isUuid } from "~/lib/uuid";
import { parseForm } from "~/lib/forms";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { archiveArticle, findArticleForEditing, listReplacementCandidates, previewArticle, restoreArticle, saveArticle } from "~/modules/kb";
import { ArticleForm, chosenCodes } from "~/modules/kb/editor-rules";
import editorStyles from "~/styles/editor.css?url";
import kbStyles from "~/styles/kb.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data?.article ? `Edit “${data.article.latest.fields.title}” · Editor · badgedesk` : "New article · Editor · badgedesk",
  },
];
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: kbStyles },
  { rel: "stylesheet", href: editorStyles },
];
export const headers: HeadersFunction = () => ({
  "Cache-Control": "private, no-store",
});

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "editor");
  if (params.articleId === "new") return { article: null, replacements: [] };
  if (!isUuid(params.articleId ?? "")) throw notFound();
  const article = await findArticleForEditing(params.articleId!);
  if (!article) throw notFound();
  return {
    article,
    replacements: article.archivedAt ? [] : await listReplacementCandidates(article.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const editor = await requireRole(request, "editor");
  const isNew = params.articleId === "new";
  if (!isNew && !isUuid(params.articleId ?? "")) throw notFound();
  const articleId = isNew ? null : params.articleId!;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");

  if (articleId && intent === "archive") {
    const replacement = String(form.get("replacementId") ?? "");
    const result = await archiveArticle({
      articleId,
      replacementId: isUuid(replacement) ? replacement : null,
      authorId: editor.id,
    });
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound();
      return data<EditorActionData>({ errors: { replacementId: "Choose a published article, or none." } }, { status: 400 });
    }
    return redirectWithNotice(`/editor/articles/${articleId}`, "The article is archived: it is off the site and out of search.");
  }
  if (articleId && intent === "restore") {
    if (!(await restoreArticle({ articleId, authorId: editor.id }))) throw notFound();
    return redirectWithNotice(`/editor/articles/${articleId}`, "The article is back on the site.");
  }

  const input = parseForm(form, ArticleForm);
  const codes = chosenCodes(form.getAll("codes"));
  const values = { ...input.values, codes };
  if (intent === "preview") {
    // The preview shows the body even while other fields are unfinished (their errors beside them).
    const text = (name: string, fallback: string) => String(form.get(name) ?? "").trim() || fallback;
    const preview = await previewArticle(
      {
        title: input.ok ? input.data.title : "Untitled article",
        summary: input.ok ? input.data.summary : "A summary will be written for this article.",
        category: input.ok ? input.data.category : "backpack-and-badges",
        tags: input.ok ? input.data.tags : ["draft"],
        codes,
        updated: new Date().toISOString().slice(0, 10),
      },
      text("body", ""),
    );
    return data<EditorActionData>({ values, preview, errors: input.ok ? undefined : input.errors });
  }
  if (!input.ok) return data<EditorActionData>({ errors: input.errors, values }, { status: 400 });
  const { title, summary, category, tags, slug, body, message, baseRevisionId } = input.data;
  const fields = { title, summary, category, tags, codes };

  if (intent !== "draft" && intent !== "publish") return data<EditorActionData>({ errors: { form: "Choose Save draft or Publish." }, values }, { status: 400 });

  const publish = intent === "publish";
  const result = await saveArticle({
    articleId,
    slug,
    fields,
    body,
    message,
    baseRevisionId,
    publish,
    authorId: editor.id,
  });
  if (result.ok) {
    return redirectWithNotice(
      `/editor/articles/${result.articleId}`,
      publish ? `Published revision ${result.number}. Readers see it within two seconds.` : `Saved revision ${result.number} as a draft. Readers still see the published text.`
    );
  }
  switch (result.reason) {
    case "not_found":
      throw notFound();
    case "slug_taken":
      return data<EditorActionData>(
        {
          errors: { slug: "Another article has this address. Choose another." },
          values,
        },
        { status: 400 }
      );
    case "problems":
      return data<EditorActionData>(
        {
          errors: {
            body: publish ? "Fix these problems before publishing." : "Fix these problems before saving.",
          },
          problems: result.problems,
          values,
        },
        { status: 400 }
      );
    case "conflict":
      return data<EditorActionData>(
        {
          values: { ...values, baseRevisionId: result.latest.id },
          conflict: {
            number: result.latest.number,
            authorName: result.latest.authorName,
            createdAt: result.latest.createdAt.toISOString(),
            diff: result.diff,
          },
        },
        { status: 409 }
      );
  }
}

export default function EditArticle() {
  const { article, replacements } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <EditorNav current="articles" />
      <p className="breadcrumb">
        <Link to="/editor">← Articles</Link>
        {article ? (
          <>
            {" · "}
            <Link to={`/editor/articles/${article.id}/history`}>
              History ({article.revisions.length} revision
              {article.revisions.length === 1 ? "" : "s"})
            </Link>
          </>
        ) : null}
      </p>
      <h1>{article ? `Edit “${article.latest.fields.title}”` : "New article"}</h1>
      {article?.archivedAt ? (
        <div className="editor-warning" role="note">
          <p>
            This article is archived: it is off the site and out of search.{" "}
            {article.replacementSlug ? `Its address sends readers to /…/${article.replacementSlug}.` : "Its address answers “gone” (410)."}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="restore" />
            <button type="submit" className="button button--quiet">
              Bring it back
            </button>
          </Form>
        </div>
      ) : article && !article.latest.live ? (
        <p className="editor-info" role="note">
          {article.liveRevisionId ? "You are editing a draft: readers see the published revision until you publish." : "This article has never been published."}
        </p>
      ) : null}
      <ArticleEditorForm
        key={article?.latest.id ?? "new"}
        initial={
          article
            ? {
                ...article.latest.fields,
                tags: article.latest.fields.tags.join(", "),
                slug: article.slug,
                body: article.latest.body,
                baseRevisionId: article.latest.id,
                message: "",
              }
            : {
                title: "",
                summary: "",
                category: "",
                tags: "",
                codes: [],
                slug: "",
                body: "",
                baseRevisionId: "",
                message: "",
              }
        }
        isNew={!article}
        articleId={article?.id ?? null}
        initialPreview={article?.latest.html}
        result={result}
      />
      {article && !article.archivedAt ? (
        <section className="card editor-archive" aria-labelledby="archive-title">
          <h2 id="archive-title">Archive this article</h2>
          <p>It leaves the site and search. Its address can send readers to another article; otherwise it answers that the page is gone.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="archive" />
            <div className={`field${result?.errors?.replacementId ? " field--invalid" : ""}`}>
              <label htmlFor="replacementId">Send readers to</label>
              <select id="replacementId" name="replacementId" defaultValue="" aria-describedby={result?.errors?.replacementId ? "replacementId-error" : undefined}>
                <option value="">No article: the page is gone (410)</option>
                {replacements.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.title}
                  </option>
                ))}
              </select>
              {result?.errors?.replacementId ? (
                <p className="field__error" id="replacementId-error">
                  {result.errors.replacementId}
                </p>
              ) : null}
            </div>
            <button type="submit" className="button button--danger">
              Archive
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
