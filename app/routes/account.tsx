import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { parseForm } from "~/lib/forms";
import { listOwnEmails, redirectWithNotice, requireUser, sendVerificationLink } from "~/modules/auth";

export const meta: MetaFunction = () => [{ title: "Your account · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const emails = await listOwnEmails(viewer.id);
  return { name: viewer.name, emails: emails.map((e) => ({ id: e.id, email: e.email, verified: Boolean(e.verifiedAt), primary: e.isPrimary })) };
}

const ResendInput = z.object({ intent: z.literal("resend-verification"), emailId: z.string().uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const input = parseForm(await request.formData(), ResendInput);
  if (!input.ok) return data({ emailId: null, message: "That request was not understood. Please try again." }, { status: 400 });
  const result = await sendVerificationLink({ accountId: viewer.id, emailId: input.data.emailId, actorId: viewer.id });
  if (result.ok) return redirectWithNotice("/account", `We sent a new verification link to ${result.email}.`);
  const message =
    result.reason === "too_soon"
      ? `A link was sent a moment ago. You can ask for another in ${Math.ceil(result.retryAfterSeconds / 60)} minute(s); check your spam folder meanwhile.`
      : result.reason === "already_verified"
        ? "This address is already verified."
        : "We couldn't find that address on your account.";
  return data({ emailId: input.data.emailId, message }, { status: result.reason === "too_soon" ? 429 : 400 });
}

export default function Account() {
  const { name, emails } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Your account</h1>
      <p className="lead">{name}</p>
      <h2>Email addresses</h2>
      <p className="muted">Badges awarded to a verified address appear in your backpack.</p>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {emails.map((e) => (
            <tr key={e.id}>
              <td>{e.email}</td>
              <td>
                {e.verified ? <span className="tag tag--ok">Verified</span> : <span className="tag tag--warn">Not verified</span>}{" "}
                {e.primary ? <span className="tag">Primary</span> : null}
              </td>
              <td>
                {!e.verified ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="resend-verification" />
                    <input type="hidden" name="emailId" value={e.id} />
                    <button type="submit" className="button button--small" aria-describedby={result?.emailId === e.id ? `resend-${e.id}` : undefined}>
                      Send a new verification link
                    </button>
                    {result?.emailId === e.id ? (
                      <p className="field__error" id={`resend-${e.id}`} role="alert">
                        {result.message}
                      </p>
                    ) : null}
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result && !result.emailId ? <p className="form-error">{result.message}</p> : null}
    </>
  );
}
