import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/lib/forms";
import { createLoginSession, getViewer, signUp, SignupInput } from "~/modules/auth";

export const meta: MetaFunction = () => [{ title: "Sign up · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getViewer(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const input = parseForm(await request.formData(), SignupInput);
  if (!input.ok) return data({ errors: input.errors, values: input.values }, { status: 400 });
  const result = await signUp({ ...input.data, clientKey: context.clientIp });
  if (!result.ok) return data({ errors: result.errors, values: input.values }, { status: 400 });
  const checkInbox = `/signup/check-inbox?email=${encodeURIComponent(input.data.email)}`;
  // The new account is signed in straight away, with what an unverified session may do (README:
  // help center, tickets, addresses; no badge named until an address is verified). An address
  // verified elsewhere created nothing, so there is nobody to sign in.
  if (result.accountId) return createLoginSession({ request, accountId: result.accountId, redirectTo: checkInbox });
  return redirect(checkInbox);
}

export default function Signup() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  return (
    <div className="narrow">
      <h1>Create your account</h1>
      <p className="muted">Use the address your badges were sent to; you can add more addresses later.</p>
      <Form method="post" noValidate className="card">
        <FormError message={errors.form} />
        <Field label="Your name" name="name" autoComplete="name" required defaultValue={values.name} error={errors.name} />
        <Field label="Email address" name="email" type="email" autoComplete="email" required defaultValue={values.email} error={errors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters, and not one of the common passwords."
          error={errors.password}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Creating your account…" : "Sign up"}
        </button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </div>
  );
}
