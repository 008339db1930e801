import { Form, Link } from "@remix-run/react";
import { Field } from "~/components/form";
import { useIsSubmitting } from "./action-form";

/** Adds an address to the account; the server sends it a verification link. */
export function AddAddressForm({ error, mergeHelp, value, enabled }: { error?: string; mergeHelp?: boolean; value?: string; enabled: boolean }) {
  const busy = useIsSubmitting("add-email", null, null);
  if (!enabled) {
    return <p className="muted">Your account has as many addresses as it can hold. Remove one you no longer use to add another.</p>;
  }
  return (
    <Form method="post" action="/my/badges" noValidate className="card add-address" aria-labelledby="add-address-heading">
      <h3 id="add-address-heading">Add an address</h3>
      <input type="hidden" name="intent" value="add-email" />
      <Field
        label="Email address to add"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={value}
        error={error}
        hint="For example a school or work address your badges were sent to. We send it a verification link; its badges appear in your backpack once you open it."
      />
      {error && mergeHelp ? (
        <p className="add-address__help">
          <Link to="/faq/account-and-email/merge-two-accounts">How to merge two accounts</Link>
        </p>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Adding…" : "Add address"}
      </button>
    </Form>
  );
}
