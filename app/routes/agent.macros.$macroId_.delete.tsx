import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRoleOrNotFound } from "~/modules/auth";
import { findMacro } from "~/modules/tickets";
import agentStyles from "~/styles/agent.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Delete “${data.macro.title}” · Macros · Agent desk · badgedesk` : "Delete a macro · Agent desk · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: agentStyles }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

// The confirm step is a page of its own, so it is the same with and without JavaScript (like
// removing an address). The deletion itself posts to the macro's page, with confirm=yes.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  const macro = await findMacro({ macroId: params.macroId ?? "" });
  if (!macro) throw new Response("Not found", { status: 404 });
  return { macro };
}

export default function DeleteMacroConfirm() {
  const { macro } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const back = `/agent/macros/${macro.id}`;
  return (
    <>
      <p className="breadcrumb">
        <Link to={back}>← Back to the macro</Link>
      </p>
      <h1>Delete “{macro.title}”?</h1>
      <p>Agents can no longer insert it into a reply. Replies already sent with it stay as they are. This can't be undone.</p>
      <pre className="macro-preview">{macro.body}</pre>
      <Form method="post" action={back} className="card">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" className="button button--danger" disabled={busy}>
          {busy ? "Deleting…" : "Delete the macro"}
        </button>{" "}
        <Link to={back} className="button button--quiet">
          Keep it
        </Link>
      </Form>
    </>
  );
}
