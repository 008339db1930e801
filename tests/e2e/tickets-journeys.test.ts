// Tickets in a real browser, with and without JavaScript: a guest files one and answers through
// the emailed private link; a signed-in learner files one with article suggestions and the
// account diagnosis beside the form, and finds it under My tickets. The signed-in learners are
// this file's own (the factories, on a private server's fresh database).
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { baseUrl, expectAccessible, hasChromium, logIn, newContext, openLinkFromMailbox, useBrowser } from "../support/browser";
import { usePrivateServer } from "../support/private-server";

const { browser } = useBrowser();

const statusOnPage = (page: Page) => page.locator(".ticket__status .status-tag").textContent();

describe.skipIf(!hasChromium)("a guest's ticket", () => {
  for (const javaScript of [true, false]) {
    test(`a guest files a ticket, opens the emailed private link, replies and closes it (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser(), { javaScript });
      const page = await context.newPage();
      const email = `guest-${randomUUID().slice(0, 8)}@example.test`;
      const subject = `3D Printing Safety badge never arrived ${randomUUID().slice(0, 4)}`;
      const description = "The makerspace says it was sent a week ago.\nI typed <b>my</b> address carefully.";

      await page.goto("/tickets/new");
      if (javaScript) await expectAccessible(page);
      await page.getByLabel("Your name").fill("Noor Haddad");
      await page.getByLabel("Your email address").fill("noor@");
      await page.getByLabel("What is it about?").selectOption({ label: "Missing badge" });
      await page.getByLabel("Subject").fill(subject);
      await page.getByLabel("What happened?").fill(description);
      await page.getByRole("button", { name: "Send ticket" }).click();

      // The bad field is answered beside it; nothing typed is lost.
      await expect.poll(() => page.locator("#field-email-error").textContent()).toBe("Enter an email address like name@example.org.");
      expect(await page.getByLabel("Subject").inputValue()).toBe(subject);
      expect(await page.getByLabel("What happened?").inputValue()).toBe(description);
      expect(await page.getByLabel("What is it about?").inputValue()).toBe("missing_badge");
      if (javaScript) await expectAccessible(page);

      await page.getByLabel("Your email address").fill(email);
      await page.getByRole("button", { name: "Send ticket" }).click();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Thank you — we have your ticket");
      expect(await page.getByRole("status").textContent()).toMatch(new RegExp(`We have your ticket BD-\\w{4}-\\w{4}\\. We emailed a private link to follow it to ${email}`));

      await openLinkFromMailbox(page, email, /We received your request/);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(subject);
      expect(page.url()).toMatch(/\/tickets\/guest\/[\w-]{43}$/);
      // What the learner typed is shown as text, markup and all.
      expect(await page.locator(".message").first().textContent()).toContain("I typed <b>my</b> address carefully.");
      expect(await statusOnPage(page)).toBe("New");
      if (javaScript) await expectAccessible(page);

      await page.getByLabel("Your reply").fill("I also tried logging out and in again.");
      await page.getByRole("button", { name: "Send reply" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain("Your reply is on the ticket.");
      expect(await page.locator(".message").last().textContent()).toContain("I also tried logging out and in again.");
      expect(await page.getByLabel("Your reply").inputValue()).toBe("");

      await page.getByRole("button", { name: "My problem is solved — close this ticket" }).click();
      await expect.poll(() => statusOnPage(page)).toBe("Closed");
      expect(await page.locator(".thread__status").last().textContent()).toContain("You changed the status to Closed");
      await page.getByRole("button", { name: "Reopen this ticket" }).click();
      await expect.poll(() => statusOnPage(page)).toBe("Open");
      await context.close();
    });
  }

  test("a made-up private link explains itself and offers to send the real ones", async () => {
    const response = await fetch(`${baseUrl}/tickets/guest/${"x".repeat(43)}`);
    expect(response.status).toBe(404);
    // The token never leaves in a Referer to another site (browsers apply the last policy listed).
    expect(response.headers.get("referrer-policy")?.split(",").at(-1)?.trim()).toBe("same-origin");
    const html = await response.text();
    expect(html).toContain("This ticket link doesn&#x27;t work");
    expect(html).toContain("Email me new links to my tickets");
  });
});

describe.skipIf(!hasChromium)("a signed-in learner's ticket", () => {
  const server = usePrivateServer(
    "tickets_journeys",
    async () => {
      const { createLearner, createLearnerWithBadges, TEST_PASSWORD } = await import("../support/factories");
      // Each has badges waiting at a second address they haven't verified yet.
      const waiting = async (name: string) => {
        const { learner, unverifiedAddress } = await createLearnerWithBadges("badges at an unverified address", { name });
        return { email: learner.email, waitsAt: unverifiedAddress };
      };
      return { password: TEST_PASSWORD, on: await waiting("Ana Souza"), off: await waiting("Chloé Martin"), stranger: (await createLearner({ name: "Ben Okafor" })).email };
    },
    { enabled: hasChromium },
  );

  for (const javaScript of [true, false]) {
    test(`a learner sees their account's diagnosis and article suggestions, files a ticket once and finds it under My tickets (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const { password, stranger: strangerEmail, [javaScript ? "on" : "off"]: { email, waitsAt } } = server.world();
      const context = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const page = await context.newPage();
      await logIn(page, email, password);
      await page.goto("/tickets/new");
      if (javaScript) await expectAccessible(page);

      // Before you submit: what the diagnosis found on the learner's own account.
      const hints = page.getByRole("region", { name: "Before you submit" });
      expect(await hints.textContent()).toContain(`Badges may be waiting at ${waitsAt} — verify it`);

      const subject = `My badge doesn't show up in my backpack (${randomUUID().slice(0, 4)})`;
      await page.getByLabel("What is it about?").selectOption({ label: "Missing badge" });
      // With JavaScript, the suggestions shown are reported for the deflection report (and accepted).
      const shownReport = javaScript
        ? page.waitForResponse((r) => r.url().endsWith("/tickets/suggestions") && r.request().method() === "POST")
        : null;
      await page.getByLabel("Subject").fill(subject);
      const suggestions = page.getByRole("region", { name: "Answers that may help" });
      const article = suggestions.getByRole("link", { name: /doesn't show up in my backpack/ });
      if (!javaScript) {
        // Without JavaScript the learner asks for suggestions; the form comes back as typed.
        await page.getByRole("button", { name: "Find answers first" }).click();
        await expect.poll(() => article.count()).toBeGreaterThan(0);
        expect(await page.getByLabel("Subject").inputValue()).toBe(subject);
      }
      // With JavaScript the suggestion appears while typing.
      await expect.poll(() => article.count()).toBeGreaterThan(0);
      expect(await article.first().getAttribute("href")).toMatch(/^\/tickets\/suggestions\?draft=/);
      if (shownReport) expect((await shownReport).status()).toBe(204);
      // The article opens in a new tab (through the deflection counter); the form keeps what was typed.
      const [articleTab] = await Promise.all([context.waitForEvent("page"), article.first().click()]);
      await expect.poll(() => articleTab.getByRole("heading", { level: 1 }).textContent()).toMatch(/doesn't show up in my backpack/);
      expect(new URL(articleTab.url()).pathname).toMatch(/^\/faq\//);
      await articleTab.close();
      expect(await page.getByLabel("Subject").inputValue()).toBe(subject);

      await page.getByLabel("What happened?").fill("The issuer says it was awarded two weeks ago.");
      await page.getByRole("button", { name: "Send ticket" }).click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      const ticketUrl = page.url();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(subject);
      await expect.poll(() => page.getByRole("status").textContent()).toMatch(/We have your ticket BD-/);
      if (javaScript) await expectAccessible(page);

      // Back and send again: still one ticket. Without JavaScript the form on screen was the answer
      // to a post ("Find answers first"), which a personal (no-store) page can't be shown again from
      // history: the browser asks to resend instead, so the learner opens the form anew.
      if (javaScript) await page.goBack();
      else await page.goto("/tickets/new");
      await page.waitForURL(/\/tickets\/new$/);
      if ((await page.getByLabel("Subject").inputValue()) === "") {
        await page.getByLabel("What is it about?").selectOption({ label: "Missing badge" });
        await page.getByLabel("Subject").fill(subject);
        await page.getByLabel("What happened?").fill("The issuer says it was awarded two weeks ago.");
      }
      await page.getByRole("button", { name: "Send ticket" }).click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      expect(page.url()).toBe(ticketUrl);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(subject);

      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My tickets" }).click();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("My tickets");
      expect(await page.getByRole("link", { name: subject }).count()).toBe(1);
      const row = page.getByRole("row", { name: new RegExp(subject.replace(/[()]/g, "\\$&")) });
      expect(await row.textContent()).toContain("New");
      if (javaScript) await expectAccessible(page);
      await page.getByRole("link", { name: subject }).click();
      await page.waitForURL(ticketUrl);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(subject);

      // Another learner opening this ticket's address gets the "not found" page, not "forbidden".
      const stranger = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const strangerPage = await stranger.newPage();
      await logIn(strangerPage, strangerEmail, password);
      const response = await strangerPage.goto(ticketUrl);
      expect(response?.status()).toBe(404);
      expect(await strangerPage.getByRole("heading", { level: 1 }).textContent()).toBe("We couldn't find that page");
      await stranger.close();
      await context.close();
    });
  }

  test("My tickets asks a visitor to log in and offers to resend private links", async () => {
    const context = await newContext(browser(), { javaScript: false });
    const page = await context.newPage();
    await page.goto("/tickets");
    expect(await page.getByRole("link", { name: "Log in" }).first().isVisible()).toBe(true);
    await page.getByLabel("Your email address").fill(`nobody-${randomUUID().slice(0, 6)}@example.test`);
    await page.getByRole("button", { name: "Email me my ticket links" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/we have emailed fresh links/);
    await context.close();
  });
});
