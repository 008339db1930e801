import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, newContext, openLinkFromMailbox, useBrowser } from "../support/browser";

const { browser } = useBrowser();

describe.skipIf(!hasChromium)("sign up, verify, log in, log out", () => {
  for (const javaScript of [true, false]) {
    test(`a new learner gets through the whole journey (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser(), { javaScript });
      const page = await context.newPage();
      const email = `new-${randomUUID().slice(0, 8)}@example.test`;
      const password = "a very good password";

      await page.goto("/signup");
      if (javaScript) await expectAccessible(page);
      // A too-short password is answered beside the field, and what was typed stays.
      await page.getByLabel("Your name").fill("Noor Haddad");
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill("short");
      await page.getByRole("button", { name: "Sign up" }).click();
      await expect.poll(() => page.getByText("Use at least 10 characters.").isVisible()).toBe(true);
      expect(await page.getByLabel("Your name").inputValue()).toBe("Noor Haddad");
      expect(await page.getByLabel("Email address").inputValue()).toBe(email);

      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign up" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Check your inbox" }).isVisible()).toBe(true);
      expect(await page.getByText(email).isVisible()).toBe(true);
      // Signing up signed her in: her name is in the header before she verifies anything.
      expect(await page.getByRole("banner").getByText("Noor Haddad").first().isVisible()).toBe(true);
      expect(await page.getByText("You are signed in already").isVisible()).toBe(true);

      await openLinkFromMailbox(page, email, /verify your email address/i);
      await page.getByRole("button", { name: "Verify my email address" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Your address is verified" }).isVisible()).toBe(true);
      expect(await page.getByRole("link", { name: "Go to My badges" }).isVisible()).toBe(true);

      // The link is used up: opened again, it says so instead of offering Verify.
      await openLinkFromMailbox(page, email, /verify your email address/i);
      await expect.poll(() => page.getByRole("heading", { name: "Already verified" }).isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: "Verify my email address" }).count()).toBe(0);

      await page.getByRole("button", { name: "Log out" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged out.");
      await page.goto("/login");
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill("not my password");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toContain("Email or password is wrong.");
      expect(await page.getByLabel("Email address").inputValue()).toBe(email);

      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Log in" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged in.");
      // The name shows in the header bar (a copy waits in the narrow-screen menu).
      expect(await page.getByRole("banner").getByText("Noor Haddad").first().isVisible()).toBe(true);

      await page.goto("/account");
      expect(await page.getByRole("cell", { name: email }).isVisible()).toBe(true);
      expect(await page.getByText("Verified", { exact: true }).isVisible()).toBe(true);
      expect(await page.getByText("Primary", { exact: true }).isVisible()).toBe(true);

      await page.getByRole("button", { name: "Log out" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged out.");
      expect(await page.getByRole("link", { name: "Log in" }).isVisible()).toBe(true);
      // The session ended on the server: the account page now asks to log in.
      await page.goto("/account");
      await page.waitForURL(/\/login\?redirectTo=%2Faccount/);
      await context.close();
    });
  }
});
