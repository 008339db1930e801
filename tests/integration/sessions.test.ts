import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { sessions } from "#db/schema";
import { createLoginSession, getViewer, logout } from "~/modules/auth";
import { createLearner } from "../support/factories";

function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("sessions", () => {
  test("logging in starts a new server-side session and drops the one the browser had", async () => {
    const learner = await createLearner({ name: "Ana Souza" });
    const first = await createLoginSession({ request: new Request("http://badgedesk.test/login"), accountId: learner.id, redirectTo: "/" });
    const firstCookie = cookiesFrom(first);
    expect(first.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(first.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);

    const second = await createLoginSession({
      request: new Request("http://badgedesk.test/login", { headers: { Cookie: firstCookie } }),
      accountId: learner.id,
      redirectTo: "/",
    });
    const secondCookie = cookiesFrom(second);
    expect(secondCookie).not.toBe(firstCookie);
    expect(await db.select().from(sessions).where(eq(sessions.accountId, learner.id))).toHaveLength(1);
    expect(await getViewer(new Request("http://badgedesk.test/", { headers: { Cookie: firstCookie } }))).toBeNull();
    expect((await getViewer(new Request("http://badgedesk.test/", { headers: { Cookie: secondCookie } })))?.name).toBe("Ana Souza");
  });

  test("logging out ends the session on the server, so a copied cookie is useless", async () => {
    const learner = await createLearner();
    const login = await createLoginSession({ request: new Request("http://badgedesk.test/login"), accountId: learner.id, redirectTo: "/" });
    const cookie = cookiesFrom(login);
    await logout(new Request("http://badgedesk.test/logout", { method: "POST", headers: { Cookie: cookie } }));
    expect(await db.select().from(sessions)).toHaveLength(0);
    expect(await getViewer(new Request("http://badgedesk.test/", { headers: { Cookie: cookie } }))).toBeNull();
  });
});
