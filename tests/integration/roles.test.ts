import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { auditLog } from "#db/schema";
import { grantRole, listAccountsForRoles, loadViewer, makeAdminByEmail, revokeRole } from "~/modules/auth";
import { createLearner } from "../support/factories";

describe("roles", () => {
  test("an admin grants and revokes the agent role, and both are audited", async () => {
    const admin = await createLearner({ name: "Alex Admin", roles: ["admin"] });
    const learner = await createLearner({ name: "Sam Rivera" });
    await grantRole({ actorId: admin.id, accountId: learner.id, role: "agent" });
    expect((await loadViewer(learner.id))?.roles).toEqual(["agent"]);
    expect(await revokeRole({ actorId: admin.id, accountId: learner.id, role: "agent" })).toEqual({ ok: true });
    expect((await loadViewer(learner.id))?.roles).toEqual([]);
    const entries = await db.select().from(auditLog).where(eq(auditLog.targetId, learner.id));
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ["role.grant", admin.id],
      ["role.revoke", admin.id],
    ]);
  });

  test("the only admin can't be demoted, so someone can always grant roles", async () => {
    const admin = await createLearner({ roles: ["admin"] });
    const result = await revokeRole({ actorId: admin.id, accountId: admin.id, role: "admin" });
    expect(result).toEqual({ ok: false, message: "This is the only admin. Make someone else admin first." });
    expect((await loadViewer(admin.id))?.roles).toEqual(["admin"]);
  });

  test("the roles page finds accounts by part of an address, and lists role holders by default", async () => {
    await createLearner({ name: "Priya Natarajan", email: "priya@badgedesk.test", roles: ["editor"] });
    await createLearner({ name: "Ben Okafor", email: "ben.okafor@example.test" });
    expect((await listAccountsForRoles({ query: "" })).map((a) => a.name)).toEqual(["Priya Natarajan"]);
    expect((await listAccountsForRoles({ query: "OKAFOR@" })).map((a) => a.name)).toEqual(["Ben Okafor"]);
    expect(await listAccountsForRoles({ query: "%" })).toEqual([]);
  });

  test("the make-admin script's function promotes the account using an address", async () => {
    const learner = await createLearner({ email: "first.admin@example.test" });
    expect(await makeAdminByEmail("FIRST.ADMIN@example.test")).toEqual({ ok: true, name: learner.name });
    expect((await loadViewer(learner.id))?.roles).toEqual(["admin"]);
    expect(await makeAdminByEmail("nobody@example.test")).toMatchObject({ ok: false });
  });
});
