// What the HTTP server hands every loader and action (see server/app.ts).
declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    requestId: string;
    /** The client's address, used only as a rate-limit key. */
    clientIp: string;
    cspNonce: string;
    /**
     * Where app/entry.server.tsx leaves a rendered page's HTML for the server to write as it is
     * (server/remix-handler.ts); absent under the development server, which reads the Response's body.
     */
    pageBodies?: WeakMap<Response, Buffer>;
  }
}

export {};
