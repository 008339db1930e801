import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseForm } from "~/lib/forms";
import { getViewer, TokenInput, verificationLinkStatus, verifyEmailWithToken } from "~/modules/auth";

export const meta: MetaFunction = () => [{ title: "Verify your email address · badgedesk" }];

const PROBLEMS = {
  unknown: "This verification link is not valid. Check that you opened the whole link from the email.",
  used: "This link was already used. If your address shows as verified in My badges, you're all set.",
  expired: "This link has expired. Log in and ask for a new one from My badges.",
  verified_elsewhere: "This address was verified on another account before you opened the link, so it stays there.",
} as const;

// Opening the link only shows a button: mail scanners that prefetch links must not use up the
// single-use token on the learner's behalf.
// It does look at the link, though, so a link already used says so instead of offering Verify.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = (new URL(request.url).searchParams.get("token") ?? "").slice(0, 200);
  const status = await verificationLinkStatus(token);
  const viewer = status === "already_verified" ? await getViewer(request) : null;
  return { token, status, signedIn: Boolean(viewer) };
}

export async function action({ request }: ActionFunctionArgs) {
  const input = parseForm(await request.formData(), TokenInput);
  if (!input.ok) return data({ ok: false as const, message: PROBLEMS.unknown, verifiedElsewhere: false }, { status: 400 });
  const result = await verifyEmailWithToken({ token: input.data.token });
  if (!result.ok) return data({ ok: false as const, message: PROBLEMS[result.problem], verifiedElsewhere: result.problem === "verified_elsewhere" }, { status: 400 });
  const viewer = await getViewer(request);
  return { ok: true as const, email: result.email, signedIn: viewer?.id === result.accountId };
}

export default function VerifyEmail() {
  const { token, status, signedIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!result && status === "already_verified") {
    return (
      <div className="narrow">
        <h1>Already verified</h1>
        <p>This address is already verified: this link has nothing left to do. Badges awarded to the address are in your backpack.</p>
        <p>{signedIn ? <Link to="/my/badges">Go to My badges</Link> : <Link to="/login?redirectTo=%2Fmy%2Fbadges">Log in</Link>}</p>
      </div>
    );
  }
  if (result?.ok) {
    return (
      <div className="narrow">
        <h1>Your address is verified</h1>
        <p>
          <strong>{result.email}</strong> is now confirmed. Badges awarded to it appear in your backpack.
        </p>
        <p>{result.signedIn ? <Link to="/my/badges">Go to My badges</Link> : <Link to="/login?redirectTo=%2Fmy%2Fbadges">Log in</Link>}</p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Verify your email address</h1>
      {result && !result.ok ? (
        <p className="form-error" role="alert">
          {result.message}
          {result.verifiedElsewhere ? (
            <>
              {" "}
              If that account is yours too, <Link to="/faq/account-and-email/merge-two-accounts">you can merge the two accounts</Link>.
            </>
          ) : null}
        </p>
      ) : null}
      {!result && status === "live" ? (
        <Form method="post" className="card">
          <input type="hidden" name="token" value={token} />
          <p>Confirm that this address is yours to finish verifying it.</p>
          <button type="submit" className="button">
            Verify my email address
          </button>
        </Form>
      ) : result ? null : (
        <p className="form-error" role="alert">
          {PROBLEMS[status === "live" || status === "already_verified" ? "unknown" : status]}
        </p>
      )}
    </div>
  );
}
