import { useCallback, useEffect, useRef, useState } from "react";
import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { Field, FieldFrame, FormError } from "~/components/form";
import { formatMoment } from "~/lib/dates";
import { DIAGNOSIS_CODE_MEANINGS, DIAGNOSIS_CODES } from "~/lib/diagnosis-codes";
import { CATEGORIES } from "~/modules/kb/categories";
import type { DiffPart } from "~/modules/kb/editor-rules";
import { DiffView } from "./diff-view";
import { ImageUpload } from "./image-upload";

export interface ArticleProblemView {
  line: number;
  column?: number;
  message: string;
}

export type PreviewView = { ok: true; html: string } | { ok: false; problems: ArticleProblemView[] };

export interface EditorActionData {
  errors?: Record<string, string>;
  values?: Record<string, string | string[]>;
  problems?: ArticleProblemView[];
  preview?: PreviewView;
  conflict?: {
    number: number;
    authorName: string | null;
    createdAt: string;
    diff: DiffPart[];
  };
}

export interface ArticleFormValues {
  title: string;
  summary: string;
  category: string;
  slug: string;
  tags: string;
  codes: string[];
  body: string;
  message: string;
  baseRevisionId: string;
}

const PREVIEW_DELAY_MS = 400;

export function problemPlace(problem: ArticleProblemView): string {
  if (problem.line <= 0) return "Fields";
  return `Line ${problem.line}${problem.column ? `, column ${problem.column}` : ""}`;
}

/**
 * The article form. With JavaScript the preview beside it follows every change (the same
 * compiler as the public site, through /editor/preview); without, the Preview button renders it.
 */
export function ArticleEditorForm({
  initial,
  isNew,
  articleId,
  initialPreview,
  result,
}: {
  initial: ArticleFormValues;
  isNew: boolean;
  articleId: string | null;
  /** The opened revision as compiled when it was saved: the preview before anything changes. */
  initialPreview?: string;
  result?: EditorActionData;
}) {
  const typed = result?.values;
  const values: ArticleFormValues = typed
    ? {
        ...initial,
        ...Object.fromEntries(Object.entries(typed).filter(([, v]) => typeof v === "string")),
        codes: Array.isArray(typed.codes) ? typed.codes : [],
      }
    : initial;
  const errors = result?.errors ?? {};
  const busy = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  const preview = useFetcher<PreviewView>();
  const [scripted, setScripted] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const refreshPreview = () => {
    if (!formRef.current) return;
    const form = new FormData(formRef.current);
    form.set("intent", "preview");
    preview.submit(form, { method: "post", action: "/editor/preview" });
  };
  useEffect(() => {
    setScripted(true);
    // Typed text that came back from the server (a refused save) is previewed as it stands.
    if (result || !initialPreview) refreshPreview();
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const onChange = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(refreshPreview, PREVIEW_DELAY_MS);
  };

  const shown: PreviewView | undefined =
    (scripted ? preview.data : undefined) ??
    result?.preview ??
    (result?.problems ? { ok: false, problems: result.problems } : undefined) ??
    (initialPreview && !result ? { ok: true, html: initialPreview } : undefined);
  const problems = result?.problems ?? (shown && !shown.ok ? shown.problems : []);

  // An uploaded image goes where the cursor was in the body (or at its end).
  const insertImage = useCallback((tag: string) => {
    const body = formRef.current?.elements.namedItem("body") as HTMLTextAreaElement | null;
    if (!body) return;
    const at = body.selectionEnd ?? body.value.length;
    body.value = `${body.value.slice(0, at)}\n\n${tag}\n\n${body.value.slice(at)}`;
    refreshPreview();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="editor-layout">
      <div>
        <Form method="post" noValidate className="card editor-form" ref={formRef} onChange={onChange} aria-label="Article">
          <FormError message={errors.form} />
          {result?.conflict ? (
            <div className="form-error" role="alert">
              <p>
                <strong>This article changed since you opened it</strong>: {result.conflict.authorName ?? "someone"} saved revision {result.conflict.number} on{" "}
                {formatMoment(result.conflict.createdAt)}. Your text is kept below. Here is how it differs from theirs (theirs struck out, yours marked); when it reads right, save
                again.
              </p>
              <DiffView parts={result.conflict.diff} label={`Revision ${result.conflict.number} compared with your text`} />
            </div>
          ) : null}
          <input type="hidden" name="baseRevisionId" value={values.baseRevisionId} />
          <Field label="Title" name="title" defaultValue={values.title} error={errors.title} maxLength={120} required />
          <Field
            label="Summary"
            name="summary"
            defaultValue={values.summary}
            error={errors.summary}
            hint="One sentence: shown under the title and in search results."
            maxLength={200}
            required
          />
          <div className="editor-form__row">
            <FieldFrame id="field-category" label="Category" error={errors.category}>
              {(describedBy) => (
                <select id="field-category" name="category" defaultValue={values.category} aria-invalid={errors.category ? true : undefined} aria-describedby={describedBy}>
                  <option value="" disabled>
                    Choose a category
                  </option>
                  {CATEGORIES.map((c) => (
                    <option key={c.slug} value={c.slug}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </FieldFrame>
            <Field
              label="Address"
              name="slug"
              defaultValue={values.slug}
              error={errors.slug}
              hint={isNew ? "Lower-case words joined by hyphens." : "Changing it keeps the old address sending readers here."}
              required
            />
          </div>
          <Field label="Tags" name="tags" defaultValue={values.tags} error={errors.tags} hint="The words learners use, separated by commas." required />
          <fieldset className="editor-codes">
            <legend>Findings this article answers</legend>
            <p className="field__hint">My badges and the agent's account panel link learners with these findings to this article.</p>
            {DIAGNOSIS_CODES.map((code) => (
              <label key={code} className="editor-codes__choice">
                <input type="checkbox" name="codes" value={code} defaultChecked={values.codes.includes(code)} /> {DIAGNOSIS_CODE_MEANINGS[code]} <code>{code}</code>
              </label>
            ))}
          </fieldset>
          <FieldFrame
            id="field-body"
            label="Article (MDX)"
            error={errors.body}
            hint={
              <>
                Markdown, with the components <code>Callout</code>, <code>Steps</code>/<code>Step</code>, <code>Kbd</code> and <code>Screenshot</code>. Sections start with{" "}
                <code>##</code>.
              </>
            }
          >
            {(describedBy) => (
              <textarea
                id="field-body"
                name="body"
                rows={24}
                className="editor-body"
                defaultValue={values.body}
                spellCheck
                aria-invalid={errors.body ? true : undefined}
                aria-describedby={[describedBy, problems.length ? "body-problems" : null].filter(Boolean).join(" ") || undefined}
              />
            )}
          </FieldFrame>
          {problems.length > 0 ? (
            <ul className="editor-problems" id="body-problems" aria-label="Problems in the article">
              {problems.map((p, i) => (
                <li key={i}>
                  <strong>{problemPlace(p)}</strong>: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
          <Field label="What changed (optional)" name="message" defaultValue={values.message} error={errors.message} maxLength={200} hint="Shown in the revision history." />
          <div className="editor-actions">
            {scripted ? null : (
              <button type="submit" name="intent" value="preview" className="button button--quiet" disabled={busy}>
                Preview
              </button>
            )}
            <button type="submit" name="intent" value="draft" className="button button--quiet" disabled={busy}>
              Save draft
            </button>
            <button type="submit" name="intent" value="publish" className="button" disabled={busy}>
              Publish
            </button>
          </div>
        </Form>
        <ImageUpload articleId={articleId} onUploaded={insertImage} />
      </div>
      <section className="editor-preview" aria-labelledby="preview-title" aria-live="polite" aria-busy={preview.state !== "idle"}>
        <h2 id="preview-title">Preview</h2>
        {!shown || (shown.ok && !shown.html) ? (
          <p className="muted">{scripted ? "The preview appears here as you type." : "Press Preview to see the article as readers will."}</p>
        ) : shown.ok ? (
          // Server-compiled HTML of allow-listed MDX (article-compiler.server.ts), as on the public page.
          <div className="kb-article__body" dangerouslySetInnerHTML={{ __html: shown.html }} />
        ) : (
          <div className="form-error">
            <p>The article can't be shown (or published) until these are fixed:</p>
            <ul>
              {shown.problems.map((p, i) => (
                <li key={i}>
                  <strong>{problemPlace(p)}</strong>: {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </div>
  );
}
