import { Writable } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { databaseMarkedDown, reportDatabaseError } from "~/lib/database-health.server";
import { describeErrorForLog } from "~/lib/log-redaction";
import { NonceProvider } from "~/lib/nonce";

const ABORT_DELAY = 5_000;

export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  reportDatabaseError(error);
  // The path only: query strings carry tokens and what people typed.
  console.error("[%s] %s %s: %s", request.headers.get("x-request-id") ?? "-", request.method, new URL(request.url).pathname, describeErrorForLog(error));
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // A failure caused by the database being away is "unavailable", not a bug.
  if (responseStatusCode >= 500 && databaseMarkedDown()) {
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", "30");
  }
  const nonce = loadContext?.cspNonce ?? "";
  // The whole page is rendered before anything is sent, and sent as one buffer. No page defers
  // data (every loader resolves before the render starts), so streaming the shell first would
  // gain a browser nothing; it cost the server a trip through three streams (Node → web → Node)
  // and a socket write for each ~2 KB piece React flushes. Measured on the agent desk (BENCHMARKS.md).
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          const chunks: Buffer[] = [];
          const page = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              const body = Buffer.concat(chunks);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              responseHeaders.set("Content-Length", String(body.byteLength));
              clearTimeout(abortTimer);
              // Our server writes the Buffer itself; wrapping it in the Response's stream only to read it back cost a page ~1 %.
              const pageBodies = loadContext?.pageBodies;
              const response = new Response(pageBodies ? null : body, { headers: responseHeaders, status: responseStatusCode });
              pageBodies?.set(response, body);
              resolve(response);
              done();
            },
            // React aborts the render when its destination closes; this one closes only after the
            // page is complete, and React's abort then failed on the ended stream (an error object
            // with its stack trace, for every page).
            emitClose: false,
          });
          pipe(page);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(describeErrorForLog(error));
        },
      },
    );
    const abortTimer = setTimeout(abort, ABORT_DELAY);
  });
}

// What server/ (start-up and the HTTP layer) takes from this bundle, so that every module of the
// app is loaded once: one database pool, one content version, one health state. Through tsx they
// would also be transpiled again at every start.
export { closeConnection, getConnection, migrateDatabase, pgliteDataDir } from "#db/client.server";
export { databaseAvailable, databaseMarkedDown, markDatabaseDown, probeDatabase } from "~/lib/database-health.server";
export { describeErrorForLog } from "~/lib/log-redaction";
export { PERSONAL_COOKIE } from "~/lib/visitor.server";
export { currentContentVersion, freshContentVersion } from "~/modules/kb/content-version.server";
export { DEMO_PASSWORD, seedDemoData } from "#db/seed";
export { config, sessionSecretProblem } from "~/lib/config.server";
export { settleBackgroundTasks } from "~/lib/background-tasks.server";
export { prepareKnowledgeBase } from "~/modules/kb/startup.server";
export { countArticleView, flushReadingLog } from "~/modules/kb/reading-log.server";
export { cachedSearchAnswer, SEARCH_ANSWER_HEADERS } from "~/modules/kb/search-answers.server";
export { startMailDelivery } from "~/modules/mail";
export { startMaintenance } from "~/modules/maintenance";
export { describeImapSettings, imapSettingsFrom, startImapPolling } from "~/modules/inbound-mail";
