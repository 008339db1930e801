// The help center in Chromium, with and without JavaScript: search, read, say whether it helped.
import { describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, newContext, openFirstResultByKeyboard, useBrowser } from "../support/browser";

const { browser } = useBrowser();
const ARTICLE = "/faq/pathways/lost-pathway-invitation";
const ARTICLE_TITLE = "I didn't accept my pathway invitation and can't find the email";

describe.skipIf(!hasChromium)("finding an answer", () => {
  test("search as you type, then open a result (JavaScript on)", async () => {
    const context = await newContext(browser(), { javaScript: true });
    const page = await context.newPage();
    await page.goto("/");
    const box = page.getByRole("searchbox", { name: "Search the help center" });
    await box.pressSequentially("lost pathway invit", { delay: 30 });
    const suggestion = page.getByRole("list", { name: "Matching articles" }).getByRole("link", { name: ARTICLE_TITLE, exact: true });
    await expect.poll(() => suggestion.isVisible()).toBe(true);
    // The answer to the whole query, not to a prefix typed on the way (on a slow machine those arrive too).
    await expect.poll(() => page.locator(".instant-results a").first().textContent()).toContain(ARTICLE_TITLE);
    // The snippet marks what matched.
    expect(await page.locator(".instant-results mark").count()).toBeGreaterThan(0);
    // Keyboard: down arrow into the list, Enter opens the article.
    await openFirstResultByKeyboard(page, box, { title: ARTICLE_TITLE, url: ARTICLE });
    await context.close();
  });

  test("a typo still finds the article, on the results page (JavaScript off)", async () => {
    const context = await newContext(browser(), { javaScript: false });
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("searchbox", { name: "Search the help center" }).fill("pathway invitaton lost");
    await page.getByRole("main").getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/search\?q=pathway\+invitaton\+lost/);
    expect(await page.getByRole("status").textContent()).toContain("Showing results for invitation");
    // The link goes through /search/open, which tells the editors' insights this search helped.
    expect(await page.getByRole("link", { name: ARTICLE_TITLE }).getAttribute("href")).toMatch(/^\/search\/open\?k=[\w-]+&to=%2Ffaq%2Fpathways%2Flost-pathway-invitation$/);
    await page.getByRole("link", { name: ARTICLE_TITLE }).click();
    await page.waitForURL(`**${ARTICLE}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(ARTICLE_TITLE);
    await context.close();
  });
});

describe.skipIf(!hasChromium)("Did you find it helpful?", () => {
  for (const javaScript of [true, false]) {
    test(`vote Yes (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser(), { javaScript });
      const page = await context.newPage();
      await page.goto(ARTICLE);
      if (javaScript) await page.evaluate(() => ((window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));
      const feedback = page.locator("#feedback");
      // With JavaScript the thanks shows at once; the vote is stored when the post's answer arrives.
      const stored = javaScript ? page.waitForResponse((r) => r.request().method() === "POST" && r.status() === 200) : Promise.resolve();
      await feedback.getByRole("button", { name: "Yes", exact: true }).click();
      await expect.poll(() => feedback.getByText("Thanks for letting us know").isVisible()).toBe(true);
      await stored;
      if (javaScript) expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
      else expect(page.url()).toMatch(/#feedback$/);
      // Coming back later, the page remembers the answer and offers to change it.
      await page.goto(ARTICLE);
      expect(await feedback.getByText("Thanks for letting us know").isVisible()).toBe(true);
      expect(await feedback.getByRole("button", { name: "Actually, it didn't help" }).isVisible()).toBe(true);
      await context.close();
    });

    test(`vote No and say what was missing (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser(), { javaScript });
      const page = await context.newPage();
      await page.goto(ARTICLE);
      if (javaScript) await page.evaluate(() => ((window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));
      const feedback = page.locator("#feedback");
      // The comment form shows at once with JavaScript; let the vote's answer (and its visitor
      // cookie) arrive first, as it does for a reader who takes a moment to type.
      const voteStored = javaScript ? page.waitForResponse((r) => r.request().method() === "POST" && r.status() === 200) : Promise.resolve();
      await feedback.getByRole("button", { name: "No", exact: true }).click();
      await expect.poll(() => feedback.getByRole("heading", { name: "Help us improve this article" }).isVisible()).toBe(true);
      await voteStored;
      // Asking for a reply without an address is answered beside the field.
      await feedback.getByLabel("What were you looking for? (optional)").fill("I use the mobile app and there is no Apps menu.");
      await feedback.getByLabel("Contact me about this").check();
      await feedback.getByRole("button", { name: "Send feedback" }).click();
      await expect.poll(() => feedback.getByText("Enter the address we should reply to").isVisible()).toBe(true);
      expect(await feedback.getByLabel("What were you looking for? (optional)").inputValue()).toBe("I use the mobile app and there is no Apps menu.");
      await feedback.getByLabel("Your email address (optional)").fill("noor.e2e@example.test");
      const commentStored = javaScript ? page.waitForResponse((r) => r.request().method() === "POST" && r.status() === 200) : Promise.resolve();
      await feedback.getByRole("button", { name: "Send feedback" }).click();
      await expect.poll(() => feedback.getByText("Thank you for your feedback").isVisible()).toBe(true);
      await commentStored;
      // Still true once the answer is in and the page has asked the server again.
      await expect.poll(() => feedback.textContent(), { timeout: 10_000 }).toContain("Customer Care will reply to noor.e2e@example.test");
      if (javaScript) expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
      // Coming back later, the page remembers the comment and the address.
      await page.goto(ARTICLE);
      expect(await feedback.textContent()).toContain("Customer Care will reply to noor.e2e@example.test");
      await context.close();
    });
  }
});

describe.skipIf(!hasChromium)("accessibility", () => {
  test("home, article and search pages have no serious or critical axe violations", async () => {
    const context = await newContext(browser(), { javaScript: true });
    const page = await context.newPage();
    await page.goto("/");
    await expectAccessible(page);
    await page.getByRole("searchbox", { name: "Search the help center" }).pressSequentially("badge missing", { delay: 20 });
    await expect.poll(() => page.getByRole("list", { name: "Matching articles" }).isVisible()).toBe(true);
    await expectAccessible(page);
    await page.goto(ARTICLE);
    await expectAccessible(page);
    await page.locator("#feedback").getByRole("button", { name: "No", exact: true }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Help us improve this article" }).isVisible()).toBe(true);
    await expectAccessible(page);
    await page.goto("/search?q=verify+my+email");
    await expectAccessible(page);
    await page.goto("/search?q=qqqzzzxxx");
    await expectAccessible(page);
    await page.goto("/faq/backpack-and-badges");
    await expectAccessible(page);
    await context.close();
  });
});
