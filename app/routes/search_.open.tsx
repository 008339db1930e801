// GET /search/open?k=<search key>&to=/faq/<category>/<slug>: a result of the search page was
// opened. A plain link, so the editors' insights ("searches whose results nobody opened") hear of
// it with JavaScript off too: note it for the search log, then 303 to the article. Only our own
// article addresses are followed; anything else is a 404, never a redirect elsewhere.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isArticlePath, isSearchKey, noteResultOpened } from "~/modules/kb";

export function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const target = params.get("to");
  if (!isArticlePath(target)) {
    throw new Response("That link doesn't lead to one of our articles.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const key = params.get("k");
  if (isSearchKey(key)) noteResultOpened(key);
  return redirect(target, { status: 303, headers: { "Cache-Control": "no-store" } });
}
