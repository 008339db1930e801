import { chromium } from "playwright-core";
const base = "http://localhost:4201";
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless"] });
for (const width of [1280, 390]) {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  await page.goto("/tickets/new");
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await page.getByLabel("Your name").fill("Noor Haddad");
  await page.getByLabel("Your email address").fill(`noor${width}@example.test`);
  await page.getByLabel("What is it about?").selectOption({ label: "Missing badge" });
  await page.getByLabel("Subject").fill("Badge missing after the workshop");
  await page.getByLabel("What happened?").fill("The workshop badge never arrived. Screenshot attached.");
  await page.getByLabel("Attach files (optional)").setInputFiles([
    { name: "backpack-screenshot.png", mimeType: "image/png", buffer: PNG },
    { name: "certificate-with-a-rather-long-file-name-from-the-issuer.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n" + "x".repeat(200000)) },
    { name: "holiday.png", mimeType: "image/png", buffer: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]) },
  ]);
  await page.waitForTimeout(500);
  await page.locator(".file-field").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/attachments-form-${width}.png`, fullPage: true });
  await page.getByRole("button", { name: "Remove holiday.png" }).click();
  await page.getByRole("button", { name: "Send ticket" }).click();
  await page.waitForURL(/received/);
  // open the private link from the mailbox
  await page.goto("/dev/mailbox");
  await page.locator("tr", { hasText: `noor${width}@example.test` }).getByRole("link").first().click();
  await page.locator("pre.mail a").first().click();
  await page.waitForURL(/tickets\/guest/);
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await page.getByLabel("Your reply").fill("And a text log:");
  await page.getByLabel("Attach files (optional)").setInputFiles([{ name: "console-log.txt", mimeType: "text/plain", buffer: Buffer.from("error: badge not found\n") }]);
  await page.getByRole("button", { name: "Send reply" }).click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/attachments-thread-${width}.png`, fullPage: true });
  // agent view
  const agent = await browser.newContext({ baseURL: base, viewport: { width, height: 900 } });
  const a = await agent.newPage();
  await a.goto("/login");
  await a.getByLabel("Email address").fill("sam.rivera@badgedesk.example");
  await a.getByLabel("Password").fill("badgedesk-demo");
  await a.getByRole("button", { name: "Log in" }).click();
  await a.waitForURL((u) => !u.pathname.startsWith("/login"));
  await a.goto("/agent");
  await a.getByRole("link", { name: "Badge missing after the workshop" }).first().click();
  await a.waitForURL(/agent\/tickets/);
  await a.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await a.getByLabel("Attach files (emailed with the reply)").setInputFiles([{ name: "guide.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n") }]);
  await a.waitForTimeout(300);
  await a.screenshot({ path: `/tmp/attachments-agent-${width}.png`, fullPage: true });
  await ctx.close(); await agent.close();
}
await browser.close();
