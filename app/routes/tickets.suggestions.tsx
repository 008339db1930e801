// The ticket form's article suggestions, counted for the editors' deflection report.
// GET: a suggestion was opened (a plain link, so it works without JavaScript): count it, then
//      go to the article. POST: suggestions were shown on a form (sent by the browser script).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordSuggestionEvents, SuggestionOpenedQuery, SuggestionShownForm } from "~/modules/tickets";
import { localPath } from "~/lib/safe-redirect.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const input = SuggestionOpenedQuery.safeParse(params);
  // Only articles on this site: the link must never send anyone elsewhere.
  const target = localPath(params.to);
  if (!target) throw new Response("Not found", { status: 404 });
  if (input.success) {
    await recordSuggestionEvents({ draftId: input.data.draft, kind: "opened", articleSlugs: [input.data.slug], query: input.data.q, clientKey: context.clientIp });
  }
  return redirect(target, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const input = SuggestionShownForm.safeParse({ draftId: form.get("draftId"), query: form.get("query") ?? "", slugs: form.getAll("slug") });
  if (!input.success) return new Response("That report of suggestions was not understood.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  await recordSuggestionEvents({ draftId: input.data.draftId, kind: "shown", articleSlugs: input.data.slugs, query: input.data.query, clientKey: context.clientIp });
  return new Response(null, { status: 204 });
}
