// A request through Remix's own request handler, in this process and on the test database: the
// status, headers and HTML page a browser gets back (the single-fetch data with `.data`), never
// what a loader or action returned before Remix turned it into a response.
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import * as entry from "~/entry.server";
import * as root from "~/root";

type RouteModule = Record<string, unknown>;
interface PageRoute {
  /** The route's id, as in the build: "routes/tickets.new". */
  id: string;
  /** Its path without the leading slash: "faq/:category/:slug". */
  path: string;
  module: RouteModule;
}

/** A request handler for the root layout and the routes named (the rest of the site answers 404). */
export function remixPages(routes: PageRoute[]): (request: Request, context?: AppLoadContext) => Promise<Response> {
  const all = [{ id: "root", path: "", module: root as RouteModule, parentId: undefined as string | undefined }, ...routes.map((r) => ({ ...r, parentId: "root" }))];
  const build = {
    mode: "production",
    entry: { module: entry },
    routes: Object.fromEntries(all.map((r) => [r.id, { id: r.id, parentId: r.parentId, path: r.path, index: undefined, caseSensitive: undefined, module: r.module }])),
    assets: {
      entry: { module: "/assets/entry.client.js", imports: [], css: [] },
      routes: Object.fromEntries(
        all.map((r) => [
          r.id,
          {
            id: r.id,
            parentId: r.parentId,
            path: r.path,
            index: undefined,
            caseSensitive: undefined,
            hasAction: "action" in r.module,
            hasLoader: "loader" in r.module,
            hasClientAction: false,
            hasClientLoader: false,
            hasErrorBoundary: "ErrorBoundary" in r.module,
            module: `/assets/${r.id}.js`,
            imports: [],
            css: [],
          },
        ]),
      ),
      url: "/assets/manifest.js",
      version: "test",
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: false },
    basename: "/",
    isSpaMode: false,
  } as unknown as ServerBuild;
  const handler = createRequestHandler(build, "production");
  return (request, context = { requestId: "test", cspNonce: "test-nonce", clientIp: "203.0.113.7" }) => {
    // A browser always sends Host; Remix compares it with the Origin of a form post.
    if (request.headers.has("Host")) return handler(request, context);
    const headers = new Headers(request.headers);
    headers.set("Host", new URL(request.url).host);
    return handler(new Request(request, { headers }), context);
  };
}

/** The text of the element with this id in an HTML page (tags dropped, entities of text decoded). */
export function textOfId(html: string, id: string): string | null {
  const match = html.match(new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`));
  if (!match) return null;
  return decodeEntities(match[2].replace(/<[^>]+>/g, "")).trim();
}

/** What a reader sees of an HTML page: its text, tags dropped and entities decoded (scripts left out). */
export function pageText(html: string): string {
  const markup = html.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<!--[\s\S]*?-->/g, "");
  return decodeEntities(markup.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");
}

/** The value an input or textarea of this name shows in an HTML page. */
export function fieldValue(html: string, name: string): string | null {
  const input = html.match(new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`));
  if (input) return decodeEntities(input[0].match(/\bvalue="([^"]*)"/)?.[1] ?? "");
  const textarea = html.match(new RegExp(`<textarea[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</textarea>`));
  return textarea ? decodeEntities(textarea[1]) : null;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
