// What the HTTP server hands every loader and action (see server/app.ts).
declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    requestId: string;
    /** The client's address, used only as a rate-limit key. */
    clientIp: string;
    cspNonce: string;
  }
}

export {};
