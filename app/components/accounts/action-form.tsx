import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

/** True while this page is submitting the given intent for the given address or badge. */
export function useIsSubmitting(intent: string, field: "emailId" | "awardId" | null, id: string | null): boolean {
  const navigation = useNavigation();
  const form = navigation.formData;
  if (navigation.state === "idle" || !form || form.get("intent") !== intent) return false;
  return field === null || form.get(field) === id;
}

/**
 * One button that posts one intent to My badges: a plain form, so it works without JavaScript;
 * with it, the button says what is happening and can't be pressed twice.
 */
export function ActionButton({
  intent,
  emailId,
  awardId,
  label,
  busyLabel,
  describedBy,
  quiet = false,
  children,
}: {
  intent: string;
  emailId?: string;
  awardId?: string;
  /** Accessible name when it differs from the visible text, e.g. to name the address. */
  label?: string;
  busyLabel: string;
  describedBy?: string;
  quiet?: boolean;
  children: ReactNode;
}) {
  const field = emailId ? "emailId" : awardId ? "awardId" : null;
  const busy = useIsSubmitting(intent, field, emailId ?? awardId ?? null);
  return (
    <Form method="post" action="/my/badges" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      {emailId ? <input type="hidden" name="emailId" value={emailId} /> : null}
      {awardId ? <input type="hidden" name="awardId" value={awardId} /> : null}
      <button
        type="submit"
        className={`button button--small${quiet ? " button--quiet" : ""}`}
        aria-label={busy ? undefined : label}
        aria-describedby={describedBy}
        disabled={busy}
      >
        {busy ? busyLabel : children}
      </button>
    </Form>
  );
}

/**
 * The answer to a refused action. The page shows it at the top (role="alert", where the page
 * scrolls back to, with or without JavaScript) and repeats it quietly beside the control.
 */
export function ActionError({ id, message, mergeHelp, announce = false }: { id?: string; message: string; mergeHelp?: boolean; announce?: boolean }) {
  return (
    <p className={announce ? "form-error" : "field__error"} id={id} role={announce ? "alert" : undefined}>
      {message}
      {mergeHelp ? (
        <>
          {" "}
          <Link to="/faq/account-and-email/merge-two-accounts">How to merge two accounts</Link>
        </>
      ) : null}
    </p>
  );
}
