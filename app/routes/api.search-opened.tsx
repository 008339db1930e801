// POST /api/search-opened (k=<search key>): the search box says a result of its search was opened,
// so the editors' insights can tell searches that helped from searches that didn't. No answer body.
import type { ActionFunctionArgs } from "@remix-run/node";
import { isSearchKey, noteResultOpened } from "~/modules/kb";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => null);
  const key = form?.get("k");
  if (isSearchKey(key)) noteResultOpened(key);
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}
