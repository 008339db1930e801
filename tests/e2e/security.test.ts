// What a probe found (issue 10), closed, in real Chromium: the development mailbox is for admins
// once the app has an https APP_URL, even on the embedded database; when it is open every page says
// so; and a crafted ?redirectTo= never takes the browser to another site.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ChildProcess } from "node:child_process";
import { baseUrl, hasChromium, newContext, useBrowser } from "../support/browser";
import { freePort, startServer, stopServer } from "../support/e2e-global-setup";

const { browser } = useBrowser();

describe.skipIf(!hasChromium)("the development mailbox", () => {
  let server: ChildProcess;
  let dataDir: string;
  let baseURL: string;

  beforeAll(async () => {
    // Embedded PGlite, no SMTP, but a public https address: a real deployment someone forgot to
    // give a database server. The mailbox would hold the admin's password-reset link.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "badgedesk-mailbox-e2e-"));
    const port = await freePort();
    baseURL = `http://localhost:${port}`;
    server = await startServer({
      port,
      env: { DATABASE_URL: undefined, SMTP_URL: undefined, BADGEDESK_DATA_DIR: dataDir, APP_URL: "https://help.badgedesk.example", DEV_MAILBOX: undefined, SESSION_SECRET: "e2e-secret-long-enough-for-an-https-app-url" },
    });
  });

  afterAll(async () => {
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("with an https APP_URL on PGlite, an anonymous visitor can't read it, and no banner says it is open", async () => {
    const context = await browser().newContext({ baseURL, javaScriptEnabled: true });
    const page = await context.newPage();
    // Someone asks for the admin's password-reset link...
    await page.goto("/forgot-password");
    await page.getByLabel("Email address").fill("alex.morgan@badgedesk.example");
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
  for (const javaScript of [true, false]) {
    test(`a crafted redirectTo lands on this site's start page, not on another site (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser(), { javaScript });
      const page = await context.newPage();
      const origin = new URL(baseUrl).origin;
      await page.goto("/login?redirectTo=%2F%09%2Fevil.example");
      await page.getByLabel("Email address").fill("dev.patel@example.net");
      await page.getByLabel("Password").fill("badgedesk-demo");
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
