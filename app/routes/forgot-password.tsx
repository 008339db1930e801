import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/lib/forms";
import { retryAfter, withActionRetryAfter } from "~/lib/retry-after";
import { ForgotPasswordInput, requestPasswordReset } from "~/modules/auth";

export const meta: MetaFunction = () => [{ title: "Reset your password · badgedesk" }];

export const headers = withActionRetryAfter;

export async function action({ request, context }: ActionFunctionArgs) {
  const input = parseForm(await request.formData(), ForgotPasswordInput);
  if (!input.ok) return data({ sent: false, errors: input.errors, values: input.values }, { status: 400 });
  const result = await requestPasswordReset({ email: input.data.email, clientKey: context.clientIp });
  if (!result.ok) return data({ sent: false, errors: { form: result.message } as Record<string, string>, values: input.values }, { status: 429, headers: retryAfter(result.retryAfterSeconds) });
  return { sent: true, errors: {} as Record<string, string>, values: input.values };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (result?.sent) {
    return (
      <div className="narrow">
        <h1>Check your inbox</h1>
        <p>
          If an account uses <strong>{result.values.email}</strong>, we have sent it a link to choose a new password. The link works for one hour.
        </p>
        <p>
          <Link to="/login">Back to log in</Link>
        </p>
      </div>
    );
  }
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <div className="narrow">
      <h1>Reset your password</h1>
      <p className="muted">Enter any address on your account and we'll email you a link.</p>
      <Form method="post" noValidate className="card">
        <FormError message={errors.form} />
        <Field label="Email address" name="email" type="email" autoComplete="email" required defaultValue={result?.values?.email} error={errors.email} />
        <button type="submit" className="button" disabled={busy}>
          Send me a reset link
        </button>
      </Form>
    </div>
  );
}
