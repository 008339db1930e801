import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { parseForm } from "~/lib/forms";
import { checkResetToken, redirectWithNotice, resetPassword, ResetPasswordInput } from "~/modules/auth";

export const meta: MetaFunction = () => [{ title: "Choose a new password · badgedesk" }];

const PROBLEMS = {
  unknown: "This reset link is not valid. Ask for a new one.",
  used: "This reset link was already used. Ask for a new one if you still need it.",
  expired: "This reset link has expired (links work for one hour). Ask for a new one.",
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const token = (new URL(request.url).searchParams.get("token") ?? "").slice(0, 200);
  const problem = token ? await checkResetToken(token) : "unknown";
  return { token, problem: problem ? PROBLEMS[problem] : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const input = parseForm(await request.formData(), ResetPasswordInput);
  if (!input.ok) return data({ errors: input.errors }, { status: 400 });
  const result = await resetPassword({ token: input.data.token, password: input.data.password });
  if (!result.ok && result.problem === "weak_password") return data({ errors: { password: result.message } as Record<string, string> }, { status: 400 });
  if (!result.ok) return data({ errors: { form: PROBLEMS[result.problem] } as Record<string, string> }, { status: 400 });
  return redirectWithNotice("/login", "Your password is changed. Log in with the new one.");
}

export default function ResetPassword() {
  const { token, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  if (problem) {
    return (
      <div className="narrow">
        <h1>Choose a new password</h1>
        <p className="form-error" role="alert">
          {problem}
        </p>
        <p>
          <Link to="/forgot-password">Ask for a new reset link</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      <Form method="post" noValidate className="card">
        <FormError message={errors.form} />
        <input type="hidden" name="token" value={token} />
        <Field label="New password" name="password" type="password" autoComplete="new-password" hint="At least 10 characters." required error={errors.password} />
        <Field label="New password again" name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
        <button type="submit" className="button">
          Save the new password
        </button>
      </Form>
    </div>
  );
}
