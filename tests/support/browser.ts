// Real headless Chromium (Debian's) driven by playwright-core, for the browser tests.
import AxeBuilder from "@axe-core/playwright";
import { chromium as playwright, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";

export const baseUrl = inject("baseUrl");
export const chromiumExecutable = inject("chromium");
/** Browser tests run wherever Chromium is installed (always in CI, where setup fails without it). */
export const hasChromium = chromiumExecutable !== null;

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

/** Launches Chromium once per test file and closes it afterwards. */
export function useBrowser(): { browser: () => Browser } {
  let browser: Browser | null = null;
  beforeAll(async () => {
    if (!hasChromium) return;
    browser = await playwright.launch({ executablePath: chromiumExecutable!, args: FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    browser: () => {
      if (!browser) throw new Error("Chromium is not running");
      return browser;
    },
  };
}

/**
 * With JavaScript on, `goto` resolves at the load event, but React may hydrate later (under load,
 * much later): a click before that submits the plain HTML form, and the test would take the
 * no-JavaScript path by accident. So every `goto` also waits until the root layout has hydrated
 * (pages that aren't Remix documents, such as a CSV download, have nothing to wait for).
 */
function waitForHydrationAfterEachGoto(page: Page) {
  const goto = page.goto.bind(page);
  page.goto = async (...args: Parameters<Page["goto"]>) => {
    const response = await goto(...args);
    await page.waitForFunction(() => !("__remixContext" in window) || document.documentElement.dataset.hydrated === "true");
    return response;
  };
}

/** A browser context on the shared test server (or on a test's own, `baseURL`). */
export async function newContext(
  browser: Browser,
  { javaScript, width, baseURL = baseUrl }: { javaScript: boolean; width?: number; baseURL?: string },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: javaScript, ...(width ? { viewport: { width, height: 844 } } : {}) });
  context.setDefaultTimeout(15_000);
  if (javaScript) context.on("page", waitForHydrationAfterEachGoto);
  return context;
}

/** Opens the newest development-mailbox message to `address` and returns the first link in it. */
export async function openLinkFromMailbox(page: Page, address: string, subject: RegExp): Promise<void> {
  await page.goto("/dev/mailbox");
  const row = page.locator("tr", { hasText: address }).filter({ has: page.getByRole("link", { name: subject }) }).first();
  await row.getByRole("link", { name: subject }).click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(subject);
  await page.locator("pre.mail a").first().click();
}

/** axe-core: no serious or critical accessibility violation on the current page. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** Signs in through the login form, as a learner would, and waits until the page says so. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged in.");
}

/** From the search box: the down arrow moves into the instant results, Enter opens the article, which then shows. */
export async function openFirstResultByKeyboard(page: Page, box: Locator, { title, url }: { title: string; url: string }): Promise<void> {
  await box.press("ArrowDown");
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? "")).toContain(title);
  await page.keyboard.press("Enter");
  await page.waitForURL(`**${url}`);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(title);
}
