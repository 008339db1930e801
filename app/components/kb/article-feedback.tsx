// "Did you find it helpful? Yes / No" at the end of every article. Plain forms that post to the
// article (and come back to #feedback) without JavaScript; with it, a fetcher answers in place.
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { COMMENT_MAX_LENGTH } from "~/modules/kb/feedback-forms";

export interface FeedbackState {
  vote: "yes" | "no" | null;
  commented: boolean;
  contactEmail: string | null;
}

export interface FeedbackActionData {
  ok?: boolean;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

export function ArticleFeedback({ state, actionData, prefillEmail }: { state: FeedbackState; actionData?: FeedbackActionData | null; prefillEmail: string }) {
  const fetcher = useFetcher<FeedbackActionData>({ key: "article-feedback" });
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  const comment = useRef<HTMLTextAreaElement>(null);
  const askedForComment = useRef(false);

  // What the visitor sees: their recorded answer, or the one they are sending right now.
  let { vote, commented } = state;
  const sending = fetcher.formData;
  if (sending?.get("intent") === "vote") {
    vote = sending.get("helpful") === "yes" ? "yes" : "no";
    commented = false;
  } else if (sending?.get("intent") === "comment") {
    vote = "no";
    commented = true;
  }
  const result = fetcher.data ?? actionData ?? null;
  const errors = sending ? {} : (result?.errors ?? {});
  if (errors.comment || errors.email || errors.contact) commented = false;
  const values = result?.values ?? {};
  const contactEmail = sending?.get("intent") === "comment" && sending.get("contact") ? String(sending.get("email") ?? "") : state.contactEmail;

  useEffect(() => {
    // After a "No" with JavaScript, take the reader straight to the comment box.
    if (vote === "no" && !commented && askedForComment.current) comment.current?.focus();
  }, [vote, commented]);

  const hidden = (
    <>
      {scripted ? <input type="hidden" name="js" value="1" /> : null}
    </>
  );
  const voteButtons = (labels: { yes?: string; no?: string }) => (
    <fetcher.Form method="post" preventScrollReset className="feedback__vote" onSubmit={(event) => {
      const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
      askedForComment.current = submitter?.value === "no";
    }}>
      <input type="hidden" name="intent" value="vote" />
      {hidden}
      {labels.yes ? (
        <button type="submit" name="helpful" value="yes" className="button button--quiet">
          {labels.yes}
        </button>
      ) : null}
      {labels.no ? (
        <button type="submit" name="helpful" value="no" className="button button--quiet">
          {labels.no}
        </button>
      ) : null}
    </fetcher.Form>
  );

  return (
    <section id="feedback" className="feedback" aria-labelledby="feedback-title">
      <h2 id="feedback-title">Did you find it helpful?</h2>
      <div aria-live="polite" className="feedback__status">
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        {vote === "yes" ? <p className="feedback__thanks">Thanks for letting us know — we're glad it helped.</p> : null}
        {vote === "no" && !commented ? <p>Sorry we couldn't be helpful.</p> : null}
        {vote === "no" && commented ? (
          <p className="feedback__thanks">
            Thank you for your feedback. Our editors read every comment{contactEmail ? <>, and Customer Care will reply to <strong>{contactEmail}</strong></> : null}.
          </p>
        ) : null}
      </div>
      {vote === null ? voteButtons({ yes: "Yes", no: "No" }) : null}
      {vote === "no" && !commented ? (
        <fetcher.Form method="post" preventScrollReset className="feedback__comment card" noValidate>
          <h3>Help us improve this article</h3>
          <input type="hidden" name="intent" value="comment" />
          {hidden}
          <div className={`field${errors.comment ? " field--invalid" : ""}`}>
            <label htmlFor="feedback-comment">What were you looking for? (optional)</label>
            <textarea
              ref={comment}
              id="feedback-comment"
              name="comment"
              rows={4}
              maxLength={COMMENT_MAX_LENGTH}
              defaultValue={values.comment}
              aria-invalid={errors.comment ? true : undefined}
              aria-describedby={errors.comment ? "feedback-comment-error" : "feedback-comment-hint"}
            />
            {errors.comment ? (
              <p className="field__error" id="feedback-comment-error">
                {errors.comment}
              </p>
            ) : (
              <p className="field__hint" id="feedback-comment-hint">
                Up to {COMMENT_MAX_LENGTH.toLocaleString("en")} characters. Please don't include passwords.
              </p>
            )}
          </div>
          <div className={`field${errors.email ? " field--invalid" : ""}`}>
            <label htmlFor="feedback-email">Your email address (optional)</label>
            <input
              id="feedback-email"
              name="email"
              type="email"
              autoComplete="email"
              defaultValue={values.email ?? prefillEmail}
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={errors.email ? "feedback-email-error" : undefined}
            />
            {errors.email ? (
              <p className="field__error" id="feedback-email-error">
                {errors.email}
              </p>
            ) : null}
          </div>
          <div className="checkbox">
            <input id="feedback-contact" name="contact" type="checkbox" defaultChecked={values.contact === "on"} />
            <label htmlFor="feedback-contact">Contact me about this (Customer Care opens a ticket and replies by email)</label>
          </div>
          <button type="submit" className="button">
            Send feedback
          </button>
        </fetcher.Form>
      ) : null}
      {vote === "yes" ? voteButtons({ no: "Actually, it didn't help" }) : null}
      {vote === "no" ? voteButtons({ yes: "Actually, it helped" }) : null}
    </section>
  );
}
