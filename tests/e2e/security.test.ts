// What a probe found (issue 10), closed, in real Chromium: the development mailbox is for admins
// once the app has an https APP_URL, even on the embedded database; when it is open every page says
// so; and a crafted ?redirectTo= never takes the browser to another site.
import { describe, expect, test } from "vitest";
import { hasChromium, newContext, useBrowser } from "../support/browser";
import { usePrivateServer } from "../support/private-server";

const { browser } = useBrowser();

describe.skipIf(!hasChromium)("the development mailbox", () => {
  // Embedded PGlite, no SMTP, but a public https address: a real deployment someone forgot to
  // give a database server. The mailbox would hold the admin's password-reset link.
  const server = usePrivateServer(
    "mailbox",
    async () => {
      const { createLearner } = await import("../support/factories");
      return { admin: await createLearner({ name: "Test Admin", roles: ["admin"] }) };
    },
    {
      enabled: hasChromium,
      pglite: true,
      env: { SMTP_URL: undefined, APP_URL: "https://help.badgedesk.example", DEV_MAILBOX: undefined, SESSION_SECRET: "e2e-secret-long-enough-for-an-https-app-url" },
    },
  );

  test("with an https APP_URL on PGlite, an anonymous visitor can't read it, and no banner says it is open", async () => {
    const baseURL = server.baseURL();
    const context = await browser().newContext({ baseURL, javaScriptEnabled: true });
    const page = await context.newPage();
    // Someone asks for the admin's password-reset link...
    await page.goto("/forgot-password");
    await page.getByLabel("Email address").fill(server.world().admin.email);
    await page.getByRole("button", { name: /reset link/i }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/check your inbox/i);
    // ...and can't read it.
    await page.goto("/dev/mailbox");
    await page.waitForURL(/\/login\?redirectTo=%2Fdev%2Fmailbox/);
    expect(await page.getByText(/Reset your badgedesk password/).count()).toBe(0);
    expect(await page.getByRole("note").count()).toBe(0);
    const message = await fetch(`${baseURL}/dev/mailbox`, { redirect: "manual" });
    expect(message.status).toBe(302);
    await context.close();
  });

});

describe.skipIf(!hasChromium)("the development mailbox in a local setup", () => {
  test("where it is open, every page says so", async () => {
    const context = await newContext(browser(), { javaScript: false });
    const page = await context.newPage();
    for (const url of ["/", "/faq", "/login", "/tickets/new"]) {
      await page.goto(url);
      expect(await page.getByRole("note").textContent()).toMatch(/development mailbox.*open to anyone/i);
    }
    await context.close();
  });
});

describe.skipIf(!hasChromium)("coming back after logging in", () => {
  const server = usePrivateServer(
    "redirects",
    async () => {
      const { createLearner, TEST_PASSWORD } = await import("../support/factories");
      return { password: TEST_PASSWORD, learner: await createLearner() };
    },
    { enabled: hasChromium },
  );

  for (const javaScript of [true, false]) {
    test(`a crafted redirectTo lands on this site's start page, not on another site (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const page = await context.newPage();
      const origin = new URL(server.baseURL()).origin;
      await page.goto("/login?redirectTo=%2F%09%2Fevil.example");
      await page.getByLabel("Email address").fill(server.world().learner.email);
      await page.getByLabel("Password").fill(server.world().password);
      await page.getByRole("button", { name: "Log in" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged in.");
      expect(page.url()).toBe(`${origin}/`);

      // Signed in, the same link (and its line-break and wide-space variants) stays here too.
      for (const target of ["%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%E3%80%80x", "%2F%5Cevil.example"]) {
        const response = await page.goto(`/login?redirectTo=${target}`);
        expect(response?.status()).toBeLessThan(500);
        expect(new URL(page.url()).origin).toBe(origin);
      }
      await context.close();
    });
  }
});
