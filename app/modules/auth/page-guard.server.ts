import { hasRole, type Role, type Viewer } from "./roles";
import { requireUser } from "./session.server";

/**
 * For pages (loaders) of a staff area: signed out → the login page; signed in without the role →
 * 404, so the area doesn't even admit it exists. Actions keep requireRole's 403.
 */
export async function requireRoleForPage(request: Request, role: Role): Promise<Viewer> {
  const viewer = await requireUser(request);
  if (!hasRole(viewer, role)) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return viewer;
}
