import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Your account was deleted · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { email: (new URL(request.url).searchParams.get("email") ?? "").slice(0, 254) };
}

export default function AccountDeleted() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Your account was deleted</h1>
      <p>You are signed out. {email ? <>We sent a confirmation to <strong>{email}</strong>.</> : null}</p>
      <p>
        Your badges stay with their issuers. To see them again, <Link to="/signup">sign up</Link> with the address they were sent to.
      </p>
      <p>
        <Link to="/">Back to the help center</Link>
      </p>
    </div>
  );
}
