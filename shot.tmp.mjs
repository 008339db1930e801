import { chromium } from "playwright-core";
const base = "http://localhost:3402";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--no-first-run","--disable-sync"] });
for (const [width, js] of [[1280, true], [390, false]]) {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width, height: 900 }, javaScriptEnabled: js });
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.getByLabel("Email address").fill("sam.rivera@badgedesk.example");
  await page.getByLabel("Password").fill("badgedesk-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto("/agent/macros");
  await page.locator(".macro-list a").first().click();
  await page.waitForURL(/\/agent\/macros\/[0-9a-f-]{36}$/);
  await page.screenshot({ path: `/tmp/agent-perf/shots/macro-edit-${width}.png`, fullPage: true });
  await page.getByRole("link", { name: "Delete this macro…" }).click();
  await page.waitForURL(/\/delete$/);
  await page.screenshot({ path: `/tmp/agent-perf/shots/macro-delete-${width}.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
