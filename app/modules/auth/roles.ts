import type { Role } from "#db/schema/lists";

export { ROLES, type Role } from "#db/schema/lists";

export const ROLE_LABELS: Record<Role, string> = {
  agent: "Agent — works the ticket queue and the account panel",
  editor: "Editor — edits and publishes FAQ articles",
  admin: "Admin — grants roles; can do everything",
};

/** The signed-in person as pages and rules see them. Everyone signed in is a learner. */
export interface Viewer {
  id: string;
  name: string;
  email: string;
  roles: Role[];
}

/** An admin can do everything an agent or editor can. */
export function hasRole(viewer: Pick<Viewer, "roles"> | null | undefined, role: Role): boolean {
  if (!viewer) return false;
  return viewer.roles.includes(role) || viewer.roles.includes("admin");
}

/** "Chrome on Linux": a session's browser and system in a learner's words, from its User-Agent. */
export function deviceName(userAgent: string | null | undefined): string {
  const ua = typeof userAgent === "string" ? userAgent : "";
  const browser = /Edg\//.test(ua) ? "Edge" : /OPR\//.test(ua) ? "Opera" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : null;
  const system = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "A browser";
}
