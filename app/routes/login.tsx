import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { retryAfter, withActionRetryAfter } from "~/lib/retry-after";
import { safeRedirect } from "~/lib/safe-redirect.server";
import { authenticator, checkCredentials, createLoginSession, getViewer, LoginFormInvalid } from "~/modules/auth";

export const meta: MetaFunction = () => [{ title: "Log in · badgedesk" }];

export const headers = withActionRetryAfter;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getViewer(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  let credentials;
  try {
    credentials = await authenticator.authenticate("form", request);
  } catch (error) {
    if (error instanceof LoginFormInvalid) return data({ errors: error.errors, values: error.values }, { status: 400 });
    throw error;
  }
  const result = await checkCredentials({ email: credentials.email, password: credentials.password, clientKey: context.clientIp });
  if (!result.ok) {
    const throttled = result.retryAfterSeconds !== undefined;
    return data(
      { errors: { form: result.message } as Record<string, string>, values: { email: credentials.email } as Record<string, string> },
      throttled ? { status: 429, headers: retryAfter(result.retryAfterSeconds) } : { status: 400 },
    );
  }
  return createLoginSession({ request, accountId: result.accountId, redirectTo: safeRedirect(credentials.redirectTo) });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <div className="narrow">
      <h1>Log in</h1>
      <Form method="post" noValidate className="card">
        <FormError message={errors.form} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field label="Email address" name="email" type="email" autoComplete="email" required defaultValue={result?.values?.email} error={errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={errors.password} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link> · New here? <Link to="/signup">Create an account</Link>
      </p>
    </div>
  );
}
