import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError, useErrorsThatClear } from "~/components/form";
import { formatMoment } from "~/lib/dates";
import { parseForm } from "~/lib/forms";
import { changeName, changePassword, currentSessionToken, listSessions, redirectWithNotice, requireUser, signOutOtherSessions } from "~/modules/auth";
import { ChangeNameInput, ChangePasswordInput } from "~/modules/profile";

export const meta: MetaFunction = () => [{ title: "My profile · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const sessions = await listSessions({ accountId: viewer.id, currentSessionToken: await currentSessionToken(request) });
  return {
    name: viewer.name,
    email: viewer.email,
    sessions: sessions.map((s) => ({ handle: s.handle, device: s.device, signedInOn: formatMoment(s.signedInAt), current: s.current })),
  };
}

type Answer = { form: "name" | "password" | "sessions"; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "change-name") {
    const input = parseForm(form, ChangeNameInput);
    if (!input.ok) return data<Answer>({ form: "name", errors: input.errors, values: input.values }, { status: 400 });
    await changeName({ accountId: viewer.id, name: input.data.name });
    return redirectWithNotice("/my/profile", "Your name was saved.");
  }
  if (intent === "change-password") {
    const input = parseForm(form, ChangePasswordInput);
    if (!input.ok) return data<Answer>({ form: "password", errors: input.errors, values: input.values }, { status: 400 });
    const result = await changePassword({
      accountId: viewer.id,
      current: input.data.currentPassword,
      password: input.data.newPassword,
      keepSessionToken: await currentSessionToken(request),
    });
    if (!result.ok) return data<Answer>({ form: "password", errors: result.errors, values: input.values }, { status: 400 });
    return redirectWithNotice("/my/profile", `Your password was changed.${signedOutText(result.signedOut)}`);
  }
  if (intent === "sign-out-others") {
    const ended = await signOutOtherSessions({ accountId: viewer.id, keepSessionToken: await currentSessionToken(request) });
    return redirectWithNotice("/my/profile", ended === 0 ? "You weren't signed in anywhere else." : `Signed out everywhere else.${signedOutText(ended)}`);
  }
  return data<Answer>({ form: "sessions", errors: { form: "That request was not understood. Please reload the page and try again." }, values: {} }, { status: 400 });
}

function signedOutText(count: number): string {
  if (count === 0) return "";
  return count === 1 ? " 1 other session was signed out." : ` ${count} other sessions were signed out.`;
}

const NO_ERRORS: Record<string, string> = {};

export default function MyProfile() {
  const profile = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().formData?.get("intent");
  const nameForm = useErrorsThatClear(answer?.form === "name" ? answer.errors : NO_ERRORS);
  const passwordForm = useErrorsThatClear(answer?.form === "password" ? answer.errors : NO_ERRORS);
  const others = profile.sessions.filter((s) => !s.current).length;

  return (
    <div className="narrow profile">
      <h1>My profile</h1>
      <p className="lead">
        Your name, your password and where you are signed in. Your email addresses are on <Link to="/my/badges#addresses-heading">My badges</Link>, beside the
        badges they bring in.
      </p>

      <section className="card" aria-labelledby="name-heading">
        <h2 id="name-heading">Your name</h2>
        <Form method="post" noValidate onChange={nameForm.onChange}>
          <input type="hidden" name="intent" value="change-name" />
          <Field
            label="Name"
            name="name"
            autoComplete="name"
            required
            maxLength={100}
            defaultValue={answer?.form === "name" ? answer.values.name : profile.name}
            error={nameForm.errors.name}
            hint="Customer Care and our emails use it. The name on a badge is the issuer's: see “My name is misspelt on my badge” in the help center."
          />
          <button type="submit" className="button" disabled={busy === "change-name"}>
            {busy === "change-name" ? "Saving…" : "Save name"}
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <p className="muted">Changing it signs you out everywhere else. We email {profile.email || "your primary address"} to say it changed.</p>
        <Form method="post" noValidate onChange={passwordForm.onChange}>
          <input type="hidden" name="intent" value="change-password" />
          <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={passwordForm.errors.currentPassword} />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters, and not one of the common passwords."
            error={passwordForm.errors.newPassword}
          />
          <Field label="New password again" name="confirmPassword" type="password" autoComplete="new-password" required error={passwordForm.errors.confirmPassword} />
          <button type="submit" className="button" disabled={busy === "change-password"}>
            {busy === "change-password" ? "Changing…" : "Change password"}
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        {answer?.form === "sessions" ? <FormError message={answer.errors.form} /> : null}
        <ul className="session-list">
          {profile.sessions.map((s) => (
            <li key={s.handle}>
              <strong>{s.device}</strong>, signed in on {s.signedInOn}
              {s.current ? <span className="tag tag--ok">This browser</span> : null}
            </li>
          ))}
        </ul>
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-others" />
          <button type="submit" className="button button--quiet" disabled={others === 0 || busy === "sign-out-others"}>
            Sign out everywhere else
          </button>
          {others === 0 ? <p className="muted">You are signed in only here.</p> : null}
        </Form>
      </section>

      <section className="card" aria-labelledby="data-heading">
        <h2 id="data-heading">Your data</h2>
        <p>A file (JSON) with your account, email addresses, badges, tickets with their messages, and your votes on articles.</p>
        <p>
          <a className="button button--quiet" href="/my/profile/data" download>
            Download my data
          </a>
        </p>
      </section>

      <section className="card danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete my account</h2>
        <p>
          Your name, password and email addresses go. Your badges stay with the issuers who awarded them, and your tickets are kept without your name or
          address.
        </p>
        <p>
          <Link to="/my/profile/delete" className="button button--danger">
            Delete my account…
          </Link>
        </p>
      </section>
    </div>
  );
}
