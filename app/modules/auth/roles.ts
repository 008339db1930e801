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
