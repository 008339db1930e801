import { Form, useNavigation } from "@remix-run/react";
import { formatMoment } from "~/lib/dates";
import { RATING_COMMENT_MAX_LENGTH, RATING_LABELS, type TicketRating } from "~/modules/tickets/ratings";

export interface RatingFormData {
  /** The rating already given, if any. */
  current: { rating: TicketRating; comment: string | null } | null;
  /** Until when it can be (changed); null when it can't be given at all now. */
  changeableUntil: string | null;
  canRate: boolean;
}

/**
 * "How did we do?" on a resolved ticket: Good or Bad (two submit buttons, so it works without
 * JavaScript) with an optional comment. Shown again with the rating given, changeable for 7 days.
 */
export function RatingForm({ rating, error, values }: { rating: RatingFormData; error?: string; values?: Record<string, string> }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "rate";
  const { current } = rating;
  return (
    <section className="card ticket__rating" aria-labelledby="rating-heading" id="how-did-we-do">
      <h2 id="rating-heading">How did we do?</h2>
      {current ? (
        <p>
          You rated this ticket <strong>{RATING_LABELS[current.rating]}</strong>
          {current.comment ? <>: “{current.comment}”</> : "."}
          {rating.canRate && rating.changeableUntil ? <> You can change it until {formatMoment(rating.changeableUntil)}.</> : null}
        </p>
      ) : (
        <p className="muted">Tell us whether Customer Care solved your problem. It takes one click; a comment is welcome but optional.</p>
      )}
      {error ? (
        <p className="field__error" role="alert" id="rating-error">
          {error}
        </p>
      ) : null}
      {rating.canRate ? (
        <Form method="post" noValidate className="rating-form">
          <input type="hidden" name="intent" value="rate" />
          <div className="field">
            <label htmlFor="rating-comment">Comment (optional)</label>
            <textarea
              id="rating-comment"
              name="comment"
              rows={3}
              maxLength={RATING_COMMENT_MAX_LENGTH}
              defaultValue={values?.comment ?? current?.comment ?? ""}
              aria-describedby={error ? "rating-error" : undefined}
            />
          </div>
          <div className="rating-form__buttons">
            <button type="submit" name="rating" value="good" className="button" disabled={busy} aria-pressed={current ? current.rating === "good" : undefined}>
              Good
            </button>
            <button type="submit" name="rating" value="bad" className="button button--quiet" disabled={busy} aria-pressed={current ? current.rating === "bad" : undefined}>
              Bad
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
