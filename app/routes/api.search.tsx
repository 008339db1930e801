// GET /api/search?q=…&limit=…&k=… — instant search and the ticket form's suggestions. `k` is the
// search box's key for one search: the requests of a typing burst are logged as one search.
// {"query": …, "results": [{"slug","url","title","summary","snippet","score","highlights"}]};
// `snippet` is plain text, `highlights` the [start, end) ranges of it that matched.
// Answers kept in memory are sent by the server before Remix (server/search-api.ts); this route
// answers the rest, through the same function, so both send the same bytes and headers.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { answerSearch, SEARCH_ANSWER_HEADERS } from "~/modules/kb";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const body = await answerSearch({ q: params.get("q"), limit: params.get("limit"), searchKey: params.get("k"), clientKey: context.clientIp });
  return new Response(body, { headers: SEARCH_ANSWER_HEADERS });
}
