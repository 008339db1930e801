import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MacroForm } from "~/components/agent/macro-form";
import { parseForm } from "~/lib/forms";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { listMacros, MacroInput, saveMacro } from "~/modules/tickets";
import { AGENT_STATUS_LABELS } from "~/modules/tickets/queue-rules";
import agentStyles from "~/styles/agent.css?url";

export const meta: MetaFunction = () => [{ title: "Macros · Agent desk · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: agentStyles }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  return { macros: await listMacros() };
}

export async function action({ request }: ActionFunctionArgs) {
  const agent = await requireRole(request, "agent");
  const input = parseForm(await request.formData(), MacroInput);
  if (!input.ok) return data({ errors: input.errors, values: input.values }, { status: 400 });
  const result = await saveMacro({ actorId: agent.id, input: input.data });
  if (!result.ok) return data({ errors: "errors" in result ? result.errors : { form: "That macro no longer exists." }, values: input.values }, { status: 400 });
  return redirectWithNotice("/agent/macros", `Saved the macro “${input.data.title}”.`);
}

export default function Macros() {
  const { macros } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/agent">← Queue</Link>
      </p>
      <h1>Macros</h1>
      <p className="lead">Saved replies for the composer. Placeholders are filled in for each ticket when the macro is inserted.</p>
      {macros.length === 0 ? (
        <p className="card">No macros yet.</p>
      ) : (
        <ul className="macro-list">
          {macros.map((m) => (
            <li key={m.id} className="card">
              <h2>
                <Link to={`/agent/macros/${m.id}`}>{m.title}</Link>
              </h2>
              <pre>{m.body}</pre>
              <p className="muted">{m.setsStatus ? `Sets the status to ${AGENT_STATUS_LABELS[m.setsStatus]}.` : "Leaves the status as it is."}</p>
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-macro">New macro</h2>
      <MacroForm values={result?.values ?? {}} errors={result?.errors ?? {}} submitLabel="Save macro" />
    </>
  );
}
