import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseForm } from "~/lib/forms";
import { grantRole, listAccountsForRoles, redirectWithNotice, requireRole, revokeRole, RoleChangeInput } from "~/modules/auth";
import { ROLE_LABELS, ROLES } from "~/modules/auth/roles";

export const meta: MetaFunction = () => [{ title: "Roles · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 200);
  return { query, accounts: await listAccountsForRoles({ query }) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const input = parseForm(await request.formData(), RoleChangeInput);
  if (!input.ok) return data({ message: "That change was not understood. Please try again." }, { status: 400 });
  const { intent, accountId, role } = input.data;
  const back = new URL(request.url);
  if (intent === "grant") {
    if ((await grantRole({ actorId: admin.id, accountId, role })) === null) return data({ message: "That account no longer exists." }, { status: 404 });
    return redirectWithNotice(back.pathname + back.search, `Granted the ${role} role.`);
  }
  const result = await revokeRole({ actorId: admin.id, accountId, role });
  if (!result.ok) return data({ message: result.message }, { status: 409 });
  return redirectWithNotice(back.pathname + back.search, `Revoked the ${role} role.`);
}

export default function Roles() {
  const { query, accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Roles</h1>
      <p className="muted">Everyone is a learner. {ROLES.map((r) => ROLE_LABELS[r]).join(". ")}.</p>
      <Form method="get" role="search" className="card">
        <div className="field">
          <label htmlFor="roles-q">Find an account by name or email</label>
          <input id="roles-q" name="q" type="search" defaultValue={query} />
        </div>
        <button type="submit" className="button">
          Find
        </button>
      </Form>
      {result?.message ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      <h2>{query ? `Accounts matching “${query}”` : "Accounts with a role"}</h2>
      {accounts.length === 0 ? (
        <p>No accounts found.</p>
      ) : (
        <table className="data data--cards">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td className="wrap-anywhere">
                  <strong>{a.name}</strong>
                </td>
                <td data-label="Email" className="wrap-anywhere">{a.emails.join(", ")}</td>
                <td data-label="Roles">
                  {ROLES.map((role) => {
                    const held = a.roles.includes(role);
                    return (
                      <Form method="post" key={role} className="inline-form">
                        <input type="hidden" name="accountId" value={a.id} />
                        <input type="hidden" name="role" value={role} />
                        <input type="hidden" name="intent" value={held ? "revoke" : "grant"} />
                        <button type="submit" className={`button button--small${held ? "" : " button--quiet"}`} aria-pressed={held}>
                          {held ? `${role} ✓` : `Make ${role}`}
                        </button>{" "}
                      </Form>
                    );
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
