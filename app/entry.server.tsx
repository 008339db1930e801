import { Writable } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
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

export default async function handleRequest(
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
  const app = (
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
    </NonceProvider>
  );
  const handoff = remixContext.serverHandoffStream ? await readHandoff(remixContext) : null;
  if (!handoff || handoff.length === 2) {
    // The loader data was complete before the render (no deferred values: one chunk, then the
    // end), so nothing in the page can suspend: React's string renderer makes the same HTML as
    // the streaming one, without encoding every piece into 2 KB buffers, a Node stream and a
    // wait for each suspended piece (measured: ticket page −17 %, queue −9 % of the server CPU;
    // BENCHMARKS.md, speed round 5, render path).
    // (The string renderer leaves out the doctype that the streaming one puts before <html>.)
    return pageResponse(Buffer.from(`<!DOCTYPE html>${renderToString(app)}`), responseHeaders, responseStatusCode, loadContext);
  }
  // Deferred values (no page has them today) are awaited by <Await>, which suspends: that needs
  // the streaming renderer. The whole page is still rendered before anything is sent, and sent as
  // one buffer: streaming the shell first cost the server a trip through three streams
  // (Node → web → Node) and a socket write for each ~2 KB piece React flushes (BENCHMARKS.md).
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(app, {
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
            clearTimeout(abortTimer);
            resolve(pageResponse(Buffer.concat(chunks), responseHeaders, responseStatusCode, loadContext));
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
    });
    const abortTimer = setTimeout(abort, ABORT_DELAY);
  });
}

/** The whole page as the Response. Our server writes the Buffer itself (`pageBodies`): wrapping it in the Response's stream only to read it back cost a page ~1 %. */
function pageResponse(body: Buffer<ArrayBuffer>, headers: Headers, status: number, loadContext: AppLoadContext | undefined): Response {
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Content-Length", String(body.byteLength));
  const pageBodies = loadContext?.pageBodies;
  const response = new Response(pageBodies ? null : body, { headers, status });
  pageBodies?.set(response, body);
  return response;
}

/**
 * The loader data's hand-over (turbo-stream, for the page's inline scripts), read to its end
 * before the render and put where Remix's StreamTransfer looks for each chunk it has read
 * (`renderMeta.streamCache`), so that it renders them without suspending. Returns the chunks as
 * StreamTransfer decodes them, the last one (the end of the stream) empty.
 */
async function readHandoff(context: EntryContext): Promise<string[]> {
  const reader = context.serverHandoffStream!.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      chunks.push(decoder.decode(value, { stream: true }));
      if (done) break;
    }
  } finally {
    // RemixServer takes a reader of its own (unused now: every chunk is in the cache).
    reader.releaseLock();
  }
  const streamCache: NonNullable<NonNullable<EntryContext["renderMeta"]>["streamCache"]> = {};
  chunks.forEach((value, index) => {
    streamCache[index] = Object.assign(Promise.resolve(), { result: { done: index === chunks.length - 1, value } });
  });
  context.renderMeta ??= {};
  context.renderMeta.streamCache = streamCache;
  return chunks;
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
