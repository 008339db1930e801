import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { FormError } from "~/components/form";
import { FileField } from "~/components/tickets/file-field";
import type { AttachmentLimits } from "~/modules/attachments/file-types";
import { REPLY_MAX_LENGTH } from "~/modules/tickets/ticket-rules";
import { AgentThread, type AgentThreadEntryData } from "./thread";

// One composer for a public reply (emailed to the requester) or an internal note (staff only).
// Macros and articles are inserted by the server into the draft (a plain form post), so it works
// the same without JavaScript; the draft always travels with the form and is never lost.

export interface ComposerResult {
  errors?: Record<string, string>;
  values?: Record<string, string>;
  /** Changes a refused send hadn't seen (the collision guard). */
  conflict?: AgentThreadEntryData[];
  articles?: { slug: string; title: string; url: string }[];
  /** The status the inserted macro proposes. */
  proposedStatus?: "pending" | "resolved" | "open" | "closed" | null;
  inserted?: string;
  /** Changes when the server rewrote the draft, so the textarea shows the new text. */
  draftKey?: string;
  /** Files posted with a form that came back unsent: they must be chosen again. */
  lostFiles?: string[];
}

const SEND_BUTTONS = [
  { intent: "send", status: null, label: "Send" },
  { intent: "send-pending", status: "pending", label: "Send and set pending" },
  { intent: "send-resolve", status: "resolved", label: "Send and resolve" },
] as const;

export function Composer({
  state,
  idempotencyKey,
  macros,
  requesterName,
  result,
  fileLimits,
}: {
  fileLimits: AttachmentLimits;
  state: string;
  idempotencyKey: string;
  macros: { id: string; title: string }[];
  requesterName: string;
  result?: ComposerResult | null;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const values = result?.values ?? {};
  const errors = result?.errors ?? {};
  const [visibility, setVisibility] = useState(values.visibility === "internal" ? "internal" : "public");
  // The macro's status is the button the agent most likely wants: it is the highlighted one.
  const proposed = SEND_BUTTONS.find((b) => b.status === (result?.proposedStatus ?? null)) ?? SEND_BUTTONS[0];
  return (
    <section aria-labelledby="composer-heading" id="composer" className={`card composer composer--${visibility}`}>
      <h2 id="composer-heading">Reply or add a note</h2>
      {result?.proposedStatus ? (
        <p className="muted">The macro suggests “{proposed.label}”.</p>
      ) : null}
      {result?.conflict ? (
        <div className="collision card" role="alert">
          <h3>This ticket changed since you opened it</h3>
          <p>
            Nothing was sent. Your draft is kept below{result.lostFiles?.length ? "; the files have to be chosen again (a page can't keep them)" : ""}. Read what is new, then send
            again.
          </p>
          {result.conflict.length ? <AgentThread entries={result.conflict} requesterName={requesterName} label="New since you opened the ticket" /> : null}
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate>
        <FormError message={errors.form} />
        {result?.inserted ? (
          <p role="status" className="muted">
            {result.inserted}
          </p>
        ) : null}
        <input type="hidden" name="idempotencyKey" value={values.idempotencyKey ?? idempotencyKey} />
        {/* What the agent had seen: kept across inserts, so a change made meanwhile still stops the send. */}
        <input type="hidden" name="state" value={values.state ?? state} />
        <fieldset className="composer__kind">
          <legend>Send as</legend>
          <label>
            <input type="radio" name="visibility" value="public" checked={visibility === "public"} onChange={() => setVisibility("public")} /> Public reply (emailed to{" "}
            {requesterName})
          </label>
          <label>
            <input type="radio" name="visibility" value="internal" checked={visibility === "internal"} onChange={() => setVisibility("internal")} /> Internal note (staff
            only)
          </label>
        </fieldset>
        <div className="composer__tools">
          {/* Article search first: Enter in its box presses the form's first button, "Search". */}
          <div className="composer__tool">
            <div className={`field${errors.articleQuery ? " field--invalid" : ""}`}>
              <label htmlFor="composer-article-query">Find an article</label>
              <input
                id="composer-article-query"
                name="articleQuery"
                type="search"
                defaultValue={values.articleQuery ?? ""}
                aria-describedby={errors.articleQuery ? "composer-article-error" : undefined}
              />
              {errors.articleQuery ? (
                <p className="field__error" id="composer-article-error">
                  {errors.articleQuery}
                </p>
              ) : null}
            </div>
            <button type="submit" name="intent" value="search-articles" className="button button--quiet" disabled={busy === "search-articles"}>
              Search
            </button>
          </div>
          <div className="composer__tool">
            <div className={`field${errors.macroId ? " field--invalid" : ""}`}>
              <label htmlFor="composer-macro">Macro</label>
              <select id="composer-macro" name="macroId" defaultValue={values.macroId ?? ""} aria-describedby={errors.macroId ? "composer-macro-error" : undefined}>
                <option value="">Choose a macro…</option>
                {macros.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.title}
                  </option>
                ))}
              </select>
              {errors.macroId ? (
                <p className="field__error" id="composer-macro-error">
                  {errors.macroId}
                </p>
              ) : null}
            </div>
            <button type="submit" name="intent" value="insert-macro" className="button button--quiet" disabled={busy === "insert-macro"}>
              Insert
            </button>
          </div>
        </div>
        {result?.articles ? (
          result.articles.length ? (
            <ul className="composer__articles" aria-label="Articles found">
              {result.articles.map((a) => (
                <li key={a.slug}>
                  <a href={a.url} target="_blank" rel="noreferrer">
                    {a.title}
                  </a>
                  <button type="submit" name="intent" value={`insert-article:${a.slug}`} className="button button--small button--quiet">
                    Insert link<span className="visually-hidden"> to {a.title}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No article matches those words.</p>
          )
        ) : null}
        <div className={`field${errors.body ? " field--invalid" : ""}`}>
          <label htmlFor="composer-body">{visibility === "internal" ? "Internal note" : "Reply to the requester"}</label>
          <textarea
            key={result?.draftKey ?? idempotencyKey}
            id="composer-body"
            name="body"
            rows={8}
            maxLength={REPLY_MAX_LENGTH}
            defaultValue={values.body ?? ""}
            aria-invalid={errors.body ? true : undefined}
            aria-describedby={errors.body ? "composer-body-error" : undefined}
          />
          {errors.body ? (
            <p className="field__error" id="composer-body-error">
              {errors.body}
            </p>
          ) : null}
        </div>
        {/* A new draft (a send, an inserted macro, a refused send) starts with no files chosen. */}
        <FileField
          key={result?.draftKey ?? values.idempotencyKey ?? idempotencyKey}
          id="composer-files"
          label={visibility === "internal" ? "Attach files to the note (staff only)" : "Attach files (emailed with the reply)"}
          limits={fileLimits}
          error={errors.files}
          lostFiles={result?.lostFiles}
        />
        <div className="composer__buttons">
          {SEND_BUTTONS.map((b) => (
            <button key={b.intent} type="submit" name="intent" value={b.intent} className={`button${b === proposed ? "" : " button--quiet"}`} disabled={busy !== null && busy.startsWith("send")}>
              {busy === b.intent ? "Sending…" : b.label}
            </button>
          ))}
        </div>
      </Form>
    </section>
  );
}
