// GET /api/search?q=…&limit=…&k=… — instant search and the ticket form's suggestions. `k` is the
// search box's key for one search: the requests of a typing burst are logged as one search.
// {"query": …, "results": [{"slug","url","title","summary","snippet","score","highlights"}]};
// `snippet` is plain text, `highlights` the [start, end) ranges of it that matched.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { cacheControl, DEFAULT_RESULT_LIMIT, MAX_RESULT_LIMIT, searchArticles } from "~/modules/kb";

const SearchParams = z.object({
  // Longer input is cut, not refused: a pasted paragraph still searches.
  q: z.string().default("").transform((q) => q.slice(0, 200)),
  limit: z.coerce.number().int().min(1).max(MAX_RESULT_LIMIT).catch(DEFAULT_RESULT_LIMIT).default(DEFAULT_RESULT_LIMIT),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const params = SearchParams.parse({ q: url.searchParams.get("q") ?? undefined, limit: url.searchParams.get("limit") ?? undefined });
  const headers = { "Cache-Control": cacheControl.SEARCH_RESULTS };
  if (!params.q.trim()) return Response.json({ query: params.q, results: [] }, { headers });
  const { query, results } = await searchArticles({ query: params.q, limit: params.limit, surface: "api", searchKey: url.searchParams.get("k"), clientKey: context.clientIp });
  return Response.json(
    { query, results: results.map(({ slug, url, title, summary, snippet, score, highlights }) => ({ slug, url, title, summary, snippet, score, highlights })) },
    { headers },
  );
}
