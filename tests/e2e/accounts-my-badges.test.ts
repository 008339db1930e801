// Ana's journey on My badges, in real Chromium, with and without JavaScript: she is told badges may
// be waiting at her unverified school address (never which: the address is not proved hers yet),
// sends herself the verification link, opens it from the development mailbox and finds the badges
// in her backpack; then removes the address again through the confirm step. And the disclosure a
// probe found stays closed: a newcomer who signs up with an address and never verifies it, or
// signs up with Ana's unverified address, sees no badge names.
//
// Each run needs Ana exactly as the demo seed leaves her, and a run changes her. Rather than
// rewind rows behind the shared server's back (impossible on PGlite, whose data folder belongs
// to that server process), each run starts a private server on a fresh, freshly seeded database
// (its own PGlite folder, or its own PostgreSQL database beside the e2e one) and throws it away
// afterwards. The shared server's demo data stays untouched for the other browser tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import type { Page } from "playwright-core";
import postgres from "postgres";
import { afterEach, describe, expect, inject, test } from "vitest";
import { expectAccessible, hasChromium, openLinkFromMailbox, useBrowser } from "../support/browser";
import { ensureDatabase, siblingDatabaseUrl } from "../support/databases";
import { freePort, startServer, stopServer } from "../support/e2e-global-setup";

const { browser } = useBrowser();
const SCHOOL = "ana.souza@lakeside.example.edu";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A server of our own with the demo seed on an empty database; returns its base URL. */
async function freshDemoServer(): Promise<string> {
  const sharedUrl = inject("databaseUrl");
  let env: Record<string, string | undefined>;
  if (sharedUrl) {
    const url = siblingDatabaseUrl(sharedUrl, "_accounts");
    await ensureDatabase(sharedUrl, url, { fresh: true });
    env = { DATABASE_URL: url };
    cleanups.push(async () => {
      const admin = postgres(sharedUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
      await admin.end({ timeout: 5 });
    });
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "badgedesk-accounts-e2e-"));
    env = { DATABASE_URL: undefined, BADGEDESK_DATA_DIR: dataDir };
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  }
  const port = await freePort();
  const server: ChildProcess = await startServer({ port, env });
  cleanups.push(() => stopServer(server));
  return `http://localhost:${port}`;
}

const section = (page: Page, heading: RegExp) => page.locator("section", { has: page.getByRole("heading", { level: 2, name: heading }) });

describe.skipIf(!hasChromium)("My badges: a badge waiting at an unverified address", () => {
  for (const javaScript of [true, false]) {
    test(`Ana sees why, verifies the address from the mailbox and finds her badges in the backpack (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const baseURL = await freshDemoServer();
      const context = await browser().newContext({ baseURL, javaScriptEnabled: javaScript });
      context.setDefaultTimeout(15_000);
      cleanups.push(() => context.close());
      const page = await context.newPage();

      await page.goto("/my/badges");
      await page.waitForURL(/\/login\?redirectTo=%2Fmy%2Fbadges/);
      await page.getByLabel("Email address").fill("ana.souza@example.org");
      await page.getByLabel("Password").fill("badgedesk-demo");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("My badges");

      // The school address is not verified: the page says badges may be waiting there, and names none.
      expect(await page.getByRole("region", { name: "What needs your attention" }).textContent()).toContain(`Badges may be waiting at ${SCHOOL} — verify it`);
      const body = (await page.locator("main").textContent()) ?? "";
      expect(body).not.toMatch(/Data Literacy|Spreadsheet Skills/);
      expect(body).not.toMatch(/\b2 badges\b/);
      expect(await section(page, /Your backpack/).getByRole("heading", { level: 3 }).allTextContents()).toEqual(["Python Foundations"]);
      const addresses = section(page, /Email addresses/);
      expect(await addresses.getByRole("row").filter({ hasText: SCHOOL }).textContent()).toContain("Badges may be waiting");
      if (javaScript) await expectAccessible(page);

      // The fix: a link sent to the address itself.
      await addresses.getByRole("button", { name: `Send a verification link to ${SCHOOL}` }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain(`We sent a verification link to ${SCHOOL}.`);
      // Asking again at once is answered with the wait, not a second email.
      await section(page, /Email addresses/).getByRole("button", { name: `Send a verification link to ${SCHOOL}` }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/less than 5 minutes ago.*ask for a new link in [45] minutes/);

      await openLinkFromMailbox(page, SCHOOL, /verify your email address/i);
      await page.getByRole("button", { name: "Verify my email address" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Your address is verified" }).isVisible()).toBe(true);
      await page.getByRole("link", { name: "Go to My badges" }).click();

      await expect.poll(() => section(page, /Your backpack/).getByRole("heading", { level: 3 }).allTextContents()).toEqual([
        "Spreadsheet Skills",
        "Data Literacy Level 1",
        "Python Foundations",
      ]);
      expect(await section(page, /Not in your backpack/).textContent()).toContain("Every badge awarded to your addresses is in your backpack.");
      expect(await page.getByRole("region", { name: "What needs your attention" }).count()).toBe(0);
      const schoolRow = section(page, /Email addresses/).getByRole("row").filter({ hasText: SCHOOL });
      expect(await schoolRow.getByText("Verified", { exact: true }).isVisible()).toBe(true);

      // Removing the address again: the confirm step names the badges that would leave.
      await schoolRow.getByRole("link", { name: `Remove ${SCHOOL}` }).click();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(`Remove ${SCHOOL}?`);
      expect(await page.getByRole("heading", { name: "These 2 badges will leave your backpack" }).isVisible()).toBe(true);
      expect(await page.getByRole("listitem").allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining("Spreadsheet Skills"), expect.stringContaining("Data Literacy Level 1")]),
      );
      if (javaScript) await expectAccessible(page);
      await page.getByRole("button", { name: `Remove ${SCHOOL}` }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain(`${SCHOOL} was removed from your account. 2 badges left your backpack`);
      expect(await section(page, /Your backpack/).getByRole("heading", { level: 3 }).allTextContents()).toEqual(["Python Foundations"]);
    });
  }
});

describe.skipIf(!hasChromium)("My badges: nothing shown through an address nobody proved", () => {
  test("signing up with the misspelt address of Ben's badge, or with Ana's unverified school address, shows no badge", async () => {
    const baseURL = await freshDemoServer();
    const context = await browser().newContext({ baseURL, javaScriptEnabled: true });
    context.setDefaultTimeout(15_000);
    cleanups.push(() => context.close());
    const page = await context.newPage();

    for (const email of ["ben.okafor@gmial.example", SCHOOL]) {
      await page.goto("/signup");
      await page.getByLabel("Your name").fill("Mallory Probe");
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill("probing for badges 42");
      await page.getByRole("button", { name: "Sign up" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Check your inbox" }).isVisible()).toBe(true);
      // Signing up signed Mallory in; out again for the next try.
      await page.getByRole("button", { name: "Log out" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged out.");
    }

    // Logging in without verifying: the page holds the address, and no badge.
    await page.goto("/login?redirectTo=%2Fmy%2Fbadges");
    await page.getByLabel("Email address").fill("ben.okafor@gmial.example");
    await page.getByLabel("Password").fill("probing for badges 42");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("My badges");
    const body = (await page.locator("main").textContent()) ?? "";
    expect(body).toContain("Badges may be waiting at ben.okafor@gmial.example — verify it");
    expect(body).not.toMatch(/3D Printing|Makerspace|Harbor City/);

    // Ana's school address stayed on her account, with its badges.
    await page.getByRole("button", { name: "Log out" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged out.");
    await page.goto("/login?redirectTo=%2Fmy%2Fbadges");
    await page.getByLabel("Email address").fill("ana.souza@example.org");
    await page.getByLabel("Password").fill("badgedesk-demo");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("My badges");
    expect(await section(page, /Email addresses/).getByRole("row").filter({ hasText: SCHOOL }).count()).toBe(1);
  });
});
