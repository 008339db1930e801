import { config } from "~/lib/config.server";
import { requireRole } from "~/modules/auth";

/** The development mailbox is open in a local setup; in production only admins may read it. */
export async function requireMailboxAccess(request: Request): Promise<void> {
  if (config.devMailboxOpen) return;
  await requireRole(request, "admin");
}
