// Finding help from any page: the header's search box (with and without JavaScript), the phone
// layout (one-row header with a menu, the search box right under it), Escape in instant search.
import { describe, expect, test } from "vitest";
import { hasChromium, newContext, openFirstResultByKeyboard, useBrowser } from "../support/browser";

const { browser } = useBrowser();
const SIGN_IN_TITLE = "I can't sign in or I forgot my password";
const SIGN_IN_URL = "/faq/account-and-email/cant-sign-in-forgot-password";
const HEADER_SEARCH = { name: "Search all help articles" } as const;

describe.skipIf(!hasChromium)("the header's search box", () => {
  test("a learner who can't log in searches from an article page and finds the sign-in article (JavaScript on)", async () => {
    const context = await newContext(browser(), { javaScript: true });
    const page = await context.newPage();
    await page.goto("/faq/pathways/lost-pathway-invitation");
    const box = page.getByRole("search", { name: "Site" }).getByRole("searchbox", HEADER_SEARCH);
    await box.pressSequentially("I can't log in", { delay: 20 });
    const first = page.getByRole("list", { name: "Matching articles" }).getByRole("link").first();
    await expect.poll(() => first.textContent()).toBe(SIGN_IN_TITLE);
    // Escape closes the list and keeps what was typed.
    await box.press("Escape");
    await expect.poll(() => page.getByRole("list", { name: "Matching articles" }).count()).toBe(0);
    expect(await box.inputValue()).toBe("I can't log in");
    // Down arrow reopens the list and moves into it; Enter opens the article.
    await openFirstResultByKeyboard(page, box, { title: SIGN_IN_TITLE, url: SIGN_IN_URL });
    await context.close();
  });

  test("the same search from the 404 page, as a plain form (JavaScript off)", async () => {
    const context = await newContext(browser(), { javaScript: false });
    const page = await context.newPage();
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    const search = page.getByRole("search", { name: "Site" });
    await search.getByRole("searchbox", HEADER_SEARCH).fill("I can't log in");
    await search.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/search\?q=I\+can%27t\+log\+in/);
    const results = page.locator(".kb-results > li");
    expect(await results.first().getByRole("heading").textContent()).toBe(SIGN_IN_TITLE);
    // Each result names its topic.
    expect(await results.first().getByRole("link", { name: "Account & email" }).isVisible()).toBe(true);
    await results.first().getByRole("link", { name: SIGN_IN_TITLE }).click();
    await page.waitForURL(`**${SIGN_IN_URL}`);
    await context.close();
  });
});

describe.skipIf(!hasChromium)("at 390 px wide", () => {
  for (const javaScript of [true, false]) {
    test(`the header is one row with a menu, and the search box sits right under it (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser(), { javaScript, width: 390 });
      const page = await context.newPage();
      await page.goto("/faq/account-and-email/email-address-changed");
      const header = (await page.getByRole("banner").boundingBox())!;
      const brand = (await page.getByRole("link", { name: "badgedesk" }).first().boundingBox())!;
      const menu = page.locator("summary", { hasText: "Menu" });
      const toggle = (await menu.boundingBox())!;
      // One row: the brand and the menu share it, and it is as tall as one line of controls.
      expect(Math.abs(brand.y + brand.height / 2 - (toggle.y + toggle.height / 2))).toBeLessThan(4);
      expect(Math.max(brand.y + brand.height, toggle.y + toggle.height) - header.y).toBeLessThan(64);
      // The links are folded away, not wrapped into more rows.
      expect(await page.getByRole("banner").getByRole("link", { name: "Submit a ticket" }).count()).toBe(0);
      // The search box comes straight after the bar, before the article.
      const box = (await page.getByRole("searchbox", HEADER_SEARCH).boundingBox())!;
      const heading = (await page.getByRole("heading", { level: 1 }).boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(toggle.y + toggle.height);
      expect(box.y).toBeLessThan(toggle.y + toggle.height + 40);
      expect(box.y + box.height).toBeLessThan(heading.y);
      expect(box.width).toBeGreaterThan(250);
      // The menu opens (a <details>, so also without JavaScript) and leads on.
      await menu.click();
      await page.getByRole("banner").getByRole("link", { name: "Submit a ticket" }).click();
      await page.waitForURL("**/tickets/new");
      await context.close();
    });
  }
});
