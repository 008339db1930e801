// Ana's journey on My badges, in real Chromium, with and without JavaScript: she is told badges may
// be waiting at her unverified school address (never which: the address is not proved hers yet),
// sends herself the verification link, opens it from the development mailbox and finds the badges
// in her backpack; then removes the address again through the confirm step. And the disclosure a
// probe found stays closed: a newcomer who signs up with an address and never verifies it, or
// signs up with Ana's unverified address, sees no badge names.
//
// Ana, her badges and the misspelt address's badge are this file's own, made with the factories
// on a private server's fresh database (tests/support/private-server.ts): one Ana per test, since
// each run changes her.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, newContext, openLinkFromMailbox, useBrowser } from "../support/browser";
import { usePrivateServer } from "../support/private-server";

const { browser } = useBrowser();
const MISSPELT = "ben.okafor@gmial.example";

const server = usePrivateServer(
  "my_badges",
  async () => {
    const { award, createBadge, createLearnerWithBadges, TEST_PASSWORD } = await import("../support/factories");
    const ana = async (key: string) => {
      const email = `ana.souza-${key}@example.org`;
      const school = `ana.souza-${key}@lakeside.example.edu`;
      await createLearnerWithBadges("badges at an unverified address", {
        name: "Ana Souza",
        email,
        unverifiedAddress: school,
        badgeNames: ["Python Foundations", "Data Literacy Level 1", "Spreadsheet Skills"],
      });
      return { email, school };
    };
    // A badge the issuer sent to a misspelling that is on nobody's account.
    await award(MISSPELT, { badge: await createBadge("3D Printing Safety", "Harbor City Library Makerspace") });
    return { password: TEST_PASSWORD, on: await ana("on"), off: await ana("off"), probed: await ana("probed") };
  },
  { enabled: hasChromium },
);

const section = (page: Page, heading: RegExp) => page.locator("section", { has: page.getByRole("heading", { level: 2, name: heading }) });

describe.skipIf(!hasChromium)("My badges: a badge waiting at an unverified address", () => {
  for (const javaScript of [true, false]) {
    test(`Ana sees why, verifies the address from the mailbox and finds her badges in the backpack (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const { email, school: SCHOOL } = server.world()[javaScript ? "on" : "off"];
      const context = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const page = await context.newPage();

      await page.goto("/my/badges");
      await page.waitForURL(/\/login\?redirectTo=%2Fmy%2Fbadges/);
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill(server.world().password);
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
      await context.close();
    });
  }
});

describe.skipIf(!hasChromium)("My badges: nothing shown through an address nobody proved", () => {
  test("signing up with the misspelt address of Ben's badge, or with Ana's unverified school address, shows no badge", async () => {
    const { email: anaEmail, school: SCHOOL } = server.world().probed;
    const context = await newContext(browser(), { javaScript: true, baseURL: server.baseURL() });
    const page = await context.newPage();

    for (const email of [MISSPELT, SCHOOL]) {
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
    await page.getByLabel("Email address").fill(MISSPELT);
    await page.getByLabel("Password").fill("probing for badges 42");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("My badges");
    const body = (await page.locator("main").textContent()) ?? "";
    expect(body).toContain(`Badges may be waiting at ${MISSPELT} — verify it`);
    expect(body).not.toMatch(/3D Printing|Makerspace|Harbor City/);

    // Ana's school address stayed on her account, with its badges.
    await page.getByRole("button", { name: "Log out" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged out.");
    await page.goto("/login?redirectTo=%2Fmy%2Fbadges");
    await page.getByLabel("Email address").fill(anaEmail);
    await page.getByLabel("Password").fill(server.world().password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("My badges");
    expect(await section(page, /Email addresses/).getByRole("row").filter({ hasText: SCHOOL }).count()).toBe(1);
    await context.close();
  });
});
