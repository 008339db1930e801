import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Field, FormError, useErrorsThatClear } from "~/components/form";
import { ArticleSuggestions, mergeSuggestions, SUGGESTION_LIMIT, type SuggestedArticle } from "~/components/tickets/article-suggestions";
import { ErrorSummary, SelectField, TextareaField } from "~/components/tickets/fields";
import { FileField } from "~/components/tickets/file-field";
import { keepableValues, parseForm } from "~/lib/forms";
import { retryAfter, withActionRetryAfter } from "~/lib/retry-after";
import { readFormWithFiles } from "~/lib/uploads.server";
import { attachmentLimits } from "~/modules/attachments";
import { getViewer, redirectWithNotice } from "~/modules/auth";
import { searchArticles } from "~/modules/kb";
import {
  accountHelpFor,
  GuestTicketForm,
  openTicket,
  recordSuggestionEvents,
  SignedInTicketForm,
} from "~/modules/tickets";
import {
  CATEGORY_LABELS,
  countCharacters,
  DESCRIPTION_MAX_LENGTH,
  SUBJECT_MAX_LENGTH,
  suggestionQuery,
  TICKET_CATEGORIES,
  ticketFormPrefill,
} from "~/modules/tickets/ticket-rules";
import ticketStyles from "~/styles/tickets.css?url";
import { describeErrorForLog } from "~/lib/log-redaction";

export const meta: MetaFunction = () => [{ title: "Submit a ticket · badgedesk" }];

export const headers = withActionRetryAfter;
export const links: LinksFunction = () => [{ rel: "stylesheet", href: ticketStyles }];

// One key per rendered form: it makes a resubmission recognisable and ties suggestion clicks
// to this draft. Revalidating would mint a new one mid-draft, so the loader runs only on arrival.
export const shouldRevalidate = () => false;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getViewer(request);
  const help = viewer ? await accountHelpFor({ accountId: viewer.id }) : { summary: [], articles: [] };
  return {
    draftId: randomUUID(),
    requester: viewer ? { name: viewer.name, email: viewer.email } : null,
    hints: help.summary,
    accountArticles: help.articles,
    prefill: ticketFormPrefill(new URL(request.url).searchParams),
    fileLimits: attachmentLimits(),
  };
}

const FIELD_LABELS: Record<string, string> = {
  name: "Your name",
  email: "Your email address",
  category: "What is it about?",
  subject: "Subject",
  description: "What happened?",
  issuerOrBadge: "Issuer or badge name",
  badgeEmail: "Email address the badge was sent to",
  files: "Attach files (optional)",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await getViewer(request);
  const { form, files } = await readFormWithFiles(request);
  // Whenever the form comes back, the files chosen have to be chosen again: say which they were.
  const lostFiles = files.map((f) => f.filename);
  const accountArticles = viewer ? (await accountHelpFor({ accountId: viewer.id })).articles : [];
  if (form.get("intent") === "suggest") return suggestAnswers(form, accountArticles, lostFiles);

  // A signed-in learner's name and address come from the account, never from the form.
  const input = parseForm(form, viewer ? SignedInTicketForm : GuestTicketForm);
  if (!input.ok) return data({ errors: input.errors, values: input.values, suggestions: await suggestionsFor(input.values, accountArticles), lostFiles }, { status: 400 });
  const fields = input.data as typeof input.data & { name?: string; email?: string };
  const result = await openTicket({
    requester: viewer
      ? { accountId: viewer.id, name: viewer.name, email: viewer.email }
      : { accountId: null, name: fields.name ?? "", email: fields.email ?? "" },
    category: fields.category,
    subject: fields.subject,
    description: fields.description,
    issuerOrBadge: fields.issuerOrBadge,
    badgeEmail: fields.badgeEmail,
    source: "web",
    idempotencyKey: fields.idempotencyKey,
    clientKey: context.clientIp,
    files,
  });
  if (!result.ok) {
    if (viewer && (result.errors.email || result.errors.name)) {
      // Nothing the learner typed: the account itself lacks a usable name or address.
      result.errors.form = "Your account has no name or email address we can reply to. Add your name on My profile and an address under Email addresses on My badges, then send the ticket.";
    }
    const status = result.retryAfterSeconds ? 429 : 400;
    return data({ errors: result.errors, values: input.values, suggestions: null, lostFiles }, { status, headers: retryAfter(result.retryAfterSeconds || undefined) });
  }
  if (viewer) {
    return redirectWithNotice(`/tickets/${result.ticketId}`, `We have your ticket ${result.reference}. A confirmation is on its way to ${result.requesterEmail}.`);
  }
  return redirectWithNotice("/tickets/received", `We have your ticket ${result.reference}. We emailed a private link to follow it to ${result.requesterEmail}.`);
}

/** "Find answers" without JavaScript: the same form back, with matching articles beside it. */
async function suggestAnswers(form: FormData, accountArticles: SuggestedArticle[], lostFiles: string[]) {
  const raw: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string" && !(key in raw)) raw[key] = value;
  const values = keepableValues(raw);
  return data({ errors: {} as Record<string, string>, values, suggestions: await suggestionsFor(values, accountArticles), lostFiles });
}

// Composed here rather than in the tickets module: the knowledge base already depends on tickets
// (article feedback opens one), and the two contexts shouldn't import each other.
// The articles answering the learner's own account lead, then what the words find.
async function suggestionsFor(values: Record<string, string>, accountArticles: SuggestedArticle[]) {
  const query = suggestionQuery(values.subject ?? "", values.description ?? "");
  if (query.length < 3) return null;
  const { results } = await searchArticles({ query, limit: SUGGESTION_LIMIT, surface: "api" }).catch((error: unknown) => {
    console.error("ticket form: article search failed: %s", describeErrorForLog(error));
    return { results: [] };
  });
  const articles = mergeSuggestions(
    accountArticles,
    results.map(({ slug, url, title, summary }) => ({ slug, url, title, summary })),
  );
  const draftId = values.idempotencyKey ?? "";
  if (articles.length > 0 && /^[0-9a-f-]{36}$/i.test(draftId)) {
    await recordSuggestionEvents({ draftId, kind: "shown", articleSlugs: articles.map((a) => a.slug), query });
  }
  return { query, articles };
}

export default function NewTicket() {
  const { draftId, requester, hints, accountArticles, prefill, fileLimits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submittedErrors: Record<string, string> = result?.errors ?? NO_ERRORS;
  const { errors, onChange } = useErrorsThatClear(submittedErrors);
  const values: Record<string, string> = result?.values ?? prefill;
  const formKey = values.idempotencyKey ?? draftId;
  const [subject, setSubject] = useState(values.subject ?? "");
  const [description, setDescription] = useState(values.description ?? "");
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "submit";

  return (
    <>
      <h1>Submit a ticket</h1>
      <p className="lead">Tell us what went wrong. A person from Customer Care answers by email, and you can follow the ticket here.</p>
      {/* One form holds the panels too, so that on a narrow screen the suggestions sit above the
          buttons (read before sending); on a wide one the grid puts them beside the fields. */}
      <Form method="post" encType="multipart/form-data" noValidate className="ticket-form-layout" aria-label="Your ticket" onChange={onChange}>
        {/* First in reading order (and on small screens): worth knowing before writing anything. */}
        {hints.length > 0 ? (
          <section className="card diagnosis-hints" aria-labelledby="hints-heading">
            <h2 id="hints-heading">Before you submit</h2>
            <p className="muted">We looked at your account and found:</p>
            <ul>
              {hints.map((line: string) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <p>
              <Link to="/my/badges">See the details in My badges</Link>
            </p>
          </section>
        ) : null}
        <div className="card ticket-form">
          <ErrorSummary errors={errors} labels={FIELD_LABELS} submitted={submittedErrors} />
          <FormError message={errors.form} />
          <input type="hidden" name="idempotencyKey" value={formKey} />

          {requester ? (
            <p className="ticket-form__requester">
              You are signed in as <strong>{requester.name}</strong>. We'll reply to <strong>{requester.email}</strong> and the ticket will be under{" "}
              <Link to="/tickets">My tickets</Link>.
            </p>
          ) : (
            <fieldset className="ticket-form__group">
              <legend>About you</legend>
              <p className="field__hint">
                Have an account? <Link to="/login?redirectTo=%2Ftickets%2Fnew">Log in</Link> so the ticket appears under My tickets. Otherwise we
                email you a private link to follow it.
              </p>
              <Field label={FIELD_LABELS.name} name="name" autoComplete="name" required defaultValue={values.name} error={errors.name} />
              <Field
                label={FIELD_LABELS.email}
                name="email"
                type="email"
                autoComplete="email"
                required
                defaultValue={values.email}
                error={errors.email}
                hint="We send our answers here."
              />
            </fieldset>
          )}

          <SelectField
            label={FIELD_LABELS.category}
            name="category"
            placeholder="Choose a category"
            options={TICKET_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
            required
            defaultValue={values.category}
            error={errors.category}
          />
          <Field
            label={FIELD_LABELS.subject}
            name="subject"
            required
            minLength={3}
            maxLength={SUBJECT_MAX_LENGTH}
            defaultValue={values.subject}
            error={errors.subject}
            hint="A few words, e.g. “My badge is not in my backpack”."
            onChange={(e) => setSubject(e.currentTarget.value)}
          />
          {/* No maxLength here: the browser would count an emoji as 2; the counter and the server count characters. */}
          <TextareaField
            label={FIELD_LABELS.description}
            name="description"
            rows={8}
            required
            defaultValue={values.description}
            error={errors.description}
            hint={`What you expected, what happened instead, and what you already tried. Up to ${DESCRIPTION_MAX_LENGTH.toLocaleString("en-GB")} characters.`}
            onChange={(e) => setDescription(e.currentTarget.value)}
            after={<CharacterCount count={countCharacters(description)} />}
            afterId="field-description-count"
          />

          <fieldset className="ticket-form__group">
            <legend>About the badge (optional)</legend>
            <Field
              label={FIELD_LABELS.issuerOrBadge}
              name="issuerOrBadge"
              maxLength={200}
              defaultValue={values.issuerOrBadge}
              error={errors.issuerOrBadge}
              hint="e.g. Lakeside Technical Institute, or Data Literacy Level 1."
            />
            <Field
              label={FIELD_LABELS.badgeEmail}
              name="badgeEmail"
              type="email"
              autoComplete="off"
              defaultValue={values.badgeEmail}
              error={errors.badgeEmail}
              hint="Badges are sent to an email address; it helps us find yours."
            />
          </fieldset>

          <FileField id="field-files" label={FIELD_LABELS.files} limits={fileLimits} error={errors.files} lostFiles={result?.lostFiles} />
        </div>

        <aside className="ticket-form-suggestions" aria-label="Articles that may help">
          <ArticleSuggestions draftId={formKey} query={suggestionQuery(subject, description)} initial={result?.suggestions ?? null} pinned={accountArticles} />
        </aside>

        <div className="ticket-form__buttons">
          <button type="submit" name="intent" value="submit" className="button" disabled={submitting}>
            {submitting ? "Sending your ticket…" : "Send ticket"}
          </button>
          <button type="submit" name="intent" value="suggest" className="button button--quiet" formNoValidate>
            Find answers first
          </button>
        </div>
      </Form>
    </>
  );
}

const NO_ERRORS: Record<string, string> = {};

/** The running count, once JavaScript runs (without it, a count would not change as you type). */
function CharacterCount({ count }: { count: number }) {
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);
  if (!live) return null;
  const near = count > DESCRIPTION_MAX_LENGTH * 0.9;
  return (
    <p className={`field__hint character-count${near ? " character-count--near" : ""}`} id="field-description-count">
      {count.toLocaleString("en-GB")} of {DESCRIPTION_MAX_LENGTH.toLocaleString("en-GB")} characters
    </p>
  );
}
