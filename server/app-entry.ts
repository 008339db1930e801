import type { ServerBuild } from "@remix-run/node";

/** What the built app exports for the server (app/entry.server.tsx): the one copy of its modules. */
export type AppEntry = typeof import("../app/entry.server");

export function appEntry(build: ServerBuild): AppEntry {
  return build.entry.module as unknown as AppEntry;
}
