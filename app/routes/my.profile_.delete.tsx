import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError, useErrorsThatClear } from "~/components/form";
import { parseForm } from "~/lib/forms";
import { endSession, requireUser } from "~/modules/auth";
import { deleteMyAccount, DeleteAccountInput } from "~/modules/profile";
import { DELETE_PHRASE } from "~/modules/profile/profile";

export const meta: MetaFunction = () => [{ title: "Delete my account · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const input = parseForm(await request.formData(), DeleteAccountInput);
  if (!input.ok) return data({ errors: input.errors, values: input.values }, { status: 400 });
  const result = await deleteMyAccount({ accountId: viewer.id, password: input.data.password, phrase: input.data.phrase });
  if (!result.ok) return data({ errors: result.errors as Record<string, string>, values: input.values }, { status: 400 });
  const headers = new Headers({ "Set-Cookie": await endSession(request) });
  return redirect(`/my/profile/deleted${result.email ? `?email=${encodeURIComponent(result.email)}` : ""}`, { headers });
}

const NO_ERRORS: Record<string, string> = {};

export default function DeleteAccount() {
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { errors, onChange } = useErrorsThatClear(answer?.errors ?? NO_ERRORS);
  return (
    <div className="narrow">
      <h1>Delete my account</h1>
      <p>This can't be undone. When you delete your account:</p>
      <ul>
        <li>your name, password and email addresses are removed, and you are signed out everywhere;</li>
        <li>your badges stay with the issuers who awarded them: sign up again with the same address and they come back to your backpack;</li>
        <li>your tickets are kept for Customer Care's records, without your name or address;</li>
        <li>we email your primary address to confirm it.</li>
      </ul>
      <p>
        Want a copy first? <a href="/my/profile/data">Download my data</a>.
      </p>
      <Form method="post" noValidate className="card" onChange={onChange}>
        <FormError message={errors.form} />
        <Field label="Your password" name="password" type="password" autoComplete="current-password" required error={errors.password} />
        <Field
          label={`Type “${DELETE_PHRASE}” to confirm`}
          name="phrase"
          autoComplete="off"
          required
          pattern="\s*[Dd][Ee][Ll][Ee][Tt][Ee]\s+[Mm][Yy]\s+[Aa][Cc][Cc][Oo][Uu][Nn][Tt]\s*"
          defaultValue={answer?.values.phrase}
          error={errors.phrase}
        />
        <div className="button-row">
          <button type="submit" className="button button--danger" disabled={busy}>
            {busy ? "Deleting…" : "Delete my account"}
          </button>
          <Link to="/my/profile">Keep my account</Link>
        </div>
      </Form>
    </div>
  );
}
