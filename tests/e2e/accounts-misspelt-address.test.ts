// Emma's badge went to "emma.lindquist@example.com" (the issuer's slip for lindqvist). The account
// lookup can't find slips before the @ by itself; on My badges she types the address the issuer
// used, sees the badge there and opens the ticket form filled in for Customer Care. In real
// Chromium, with and without JavaScript. Emma and her badge are this test's own (the factories,
// on a private server's fresh database).
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, newContext, useBrowser } from "../support/browser";
import { usePrivateServer } from "../support/private-server";

const { browser } = useBrowser();
const server = usePrivateServer(
  "misspelt_address",
  async () => {
    const { createLearnerWithBadges, TEST_PASSWORD } = await import("../support/factories");
    const emma = await createLearnerWithBadges("badge at a misspelt address", {
      name: "Emma Lindqvist",
      email: "emma.lindqvist@example.com",
      misspeltAddress: "emma.lindquist@example.com",
      badgeNames: ["Laser Cutter Operator", "Spreadsheet Skills"],
    });
    return { password: TEST_PASSWORD, emma: emma.learner };
  },
  { enabled: hasChromium },
);

async function logIn(page: Page, email: string) {
  await page.goto("/my/badges");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(server.world().password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("My badges");
}

describe.skipIf(!hasChromium)("My badges: a badge sent to a misspelt address", () => {
  for (const javaScript of [true, false]) {
    test(`Emma finds the badge an issuer sent to a misspelling of her address (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const page = await context.newPage();
      await logIn(page, server.world().emma.email);
      const search = page.getByRole("search", { name: "A badge sent to a misspelt address?" });

      // A typo in the form is answered beside the field, with what she typed kept.
      await search.getByLabel("Address the badge was sent to").fill("emma.lindquist@example");
      await search.getByRole("button", { name: "Look for badges" }).click();
      await expect.poll(() => page.locator(".field__error").textContent()).toBe("Enter an email address like name@example.org.");
      expect(await page.getByLabel("Address the badge was sent to").inputValue()).toBe("emma.lindquist@example");

      await page.getByLabel("Address the badge was sent to").fill("Emma.Lindquist@example.com");
      await page.getByRole("button", { name: "Look for badges" }).click();
      const answer = page.locator(".misspelt-search__answer");
      await expect.poll(() => answer.textContent()).toContain(
        "1 badge was sent to emma.lindquist@example.com, which looks like a misspelling of your address emma.lindqvist@example.com",
      );
      expect(await answer.getByRole("listitem").textContent()).toContain("Spreadsheet Skills");
      expect(page.url()).toContain("sentTo=Emma.Lindquist%40example.com");
      if (javaScript) await expectAccessible(page);

      // Only Customer Care can move the badge: the ticket form opens with the case filled in.
      await answer.getByRole("link", { name: "Contact Customer Care" }).click();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Submit a ticket");
      expect(await page.getByLabel("What is it about?").inputValue()).toBe("missing_badge");
      expect(await page.getByLabel("Email address the badge was sent to").inputValue()).toBe("emma.lindquist@example.com");
      expect(await page.getByLabel("What happened?").inputValue()).toContain("Spreadsheet Skills");
      await context.close();
    });
  }
});
