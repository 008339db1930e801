import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MacroForm } from "~/components/agent/macro-form";
import { parseForm } from "~/lib/forms";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { deleteMacro, findMacro, MacroInput, saveMacro } from "~/modules/tickets";
import agentStyles from "~/styles/agent.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.macro.title} · Macros · Agent desk · badgedesk` : "Macro · Agent desk · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: agentStyles }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  const macro = await findMacro({ macroId: params.macroId ?? "" });
  if (!macro) throw notFound();
  return { macro };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const agent = await requireRole(request, "agent");
  const macroId = params.macroId ?? "";
  const form = await request.formData();
  if (form.get("intent") === "delete") {
    // Only the confirm page's form deletes; a bare "delete" (an old form, a stray post) asks first.
    if (form.get("confirm") !== "yes") return redirect(`/agent/macros/${macroId}/delete`);
    if (!(await deleteMacro({ actorId: agent.id, macroId }))) throw notFound();
    return redirectWithNotice("/agent/macros", "The macro is deleted.");
  }
  const input = parseForm(form, MacroInput);
  if (!input.ok) return data({ errors: input.errors, values: input.values }, { status: 400 });
  const result = await saveMacro({ actorId: agent.id, macroId, input: input.data });
  if (!result.ok) {
    if ("reason" in result) throw notFound();
    return data({ errors: result.errors, values: input.values }, { status: 400 });
  }
  return redirectWithNotice("/agent/macros", `Saved the macro “${input.data.title}”.`);
}

export default function EditMacro() {
  const { macro } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/agent/macros">← Macros</Link>
      </p>
      <h1>Edit “{macro.title}”</h1>
      <MacroForm values={result?.values ?? macro} errors={result?.errors ?? {}} submitLabel="Save changes" />
      <p>
        <Link to={`/agent/macros/${macro.id}/delete`} className="button button--danger">
          Delete this macro…
        </Link>
      </p>
    </>
  );
}
