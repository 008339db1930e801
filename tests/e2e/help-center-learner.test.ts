// The learner side of issue 12 in real Chromium, with and without JavaScript: the ticket form
// leads with the articles for the learner's own account (Ben's misspelt address), every
// "Contact Customer Care" on My badges opens a filled form (Dev's revoked badge), a new learner
// rates a resolved ticket from the email's link without signing in, downloads their data and
// deletes their account; and the 390 px layout (one-row header, search under it, suggestions
// above the Send button).
//
// Ben, Dev and the agent Sam are this file's own (the factories, on a private server's fresh
// database); the learner who rates and leaves signs up here. Sign-ups (10 an hour) and tickets (30
// an hour) are limited per client: this file uses 2 sign-ups and 3 tickets.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, logIn, newContext, useBrowser } from "../support/browser";
import { usePrivateServer } from "../support/private-server";

const { browser } = useBrowser();
const server = usePrivateServer(
  "help_center_learner",
  async () => {
    const { createAgent, createLearnerWithBadges, TEST_PASSWORD } = await import("../support/factories");
    const ben = await createLearnerWithBadges("badge at a misspelt address", {
      name: "Ben Okafor",
      email: "ben.okafor@gmail.example",
      misspeltAddress: "ben.okafor@gmial.example",
      badgeNames: ["Laser Cutter Operator", "3D Printing Safety"],
    });
    const dev = await createLearnerWithBadges("badge revoked", { name: "Dev Patel", email: "dev.patel@example.net", badgeNames: ["Python Foundations"] });
    const sam = await createAgent({ name: "Sam Rivera" });
    return { password: TEST_PASSWORD, ben: ben.learner.email, dev: dev.learner.email, sam: sam.email };
  },
  { enabled: hasChromium },
);
const MISSPELT_ARTICLE = "My badge was sent to a misspelt email address";

async function signedIn(from: Browser, who: "ben" | "dev" | "sam", javaScript: boolean, width?: number): Promise<Page> {
  const context = await newContext(from, { javaScript, width, baseURL: server.baseURL() });
  const page = await context.newPage();
  await logIn(page, server.world()[who], server.world().password);
  return page;
}

const suggestionTitles = (page: Page) => page.locator(".suggestions__list > li > a").allTextContents();

describe.skipIf(!hasChromium)("the ticket form and My badges use the learner's account", () => {
  for (const javaScript of [true, false]) {
    test(`Ben's ticket about the wrong address suggests his misspelt-address article first (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const ben = await signedIn(browser(), "ben", javaScript);
      await ben.goto("/tickets/new");
      // Before typing anything, the article for what the diagnosis found is there.
      expect((await suggestionTitles(ben))[0]).toContain(MISSPELT_ARTICLE);
      await ben.getByLabel("Subject").fill("3D printing badge went to the wrong address");
      if (javaScript) {
        await expect.poll(() => ben.locator(".suggestions__status").textContent()).toMatch(/articles? may answer your question/);
      } else {
        await ben.getByRole("button", { name: "Find answers first" }).click();
        await expect.poll(() => ben.locator(".suggestions__status").textContent()).toMatch(/articles? may answer your question/);
        expect(await ben.getByLabel("Subject").inputValue()).toBe("3D printing badge went to the wrong address");
      }
      const titles = await suggestionTitles(ben);
      expect(titles[0]).toContain(MISSPELT_ARTICLE);
      expect(titles.length).toBeLessThanOrEqual(5);

      if (javaScript) {
        // A field's error goes away as soon as it is fixed, and the summary with it.
        await ben.getByRole("button", { name: "Send ticket" }).click();
        await expect.poll(() => ben.locator(".error-summary").textContent()).toContain("What is it about?");
        await ben.getByLabel("What is it about?").selectOption("missing_badge");
        await expect.poll(() => ben.locator(".error-summary").textContent()).not.toContain("What is it about?");
        await ben.getByLabel("What happened?").fill("It was sent to ben.okafor@gmial.example 👍 instead of my address.");
        await expect.poll(() => ben.locator(".error-summary").count()).toBe(0);
        // The counter counts the emoji as one character, as the limit does.
        expect(await ben.locator("#field-description-count").textContent()).toBe("64 of 10,000 characters");
        await ben.getByRole("button", { name: "Send ticket" }).click();
        await ben.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
        await expect.poll(() => ben.getByRole("status").textContent()).toMatch(/We have your ticket BD-/);
      }
      await ben.context().close();
    });

    test(`Dev's "Contact Customer Care" opens the ticket form filled in (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const dev = await signedIn(browser(), "dev", javaScript);
      await dev.goto("/my/badges");
      await dev.getByRole("link", { name: /Contact Customer Care/ }).first().click();
      await dev.waitForURL(/\/tickets\/new\?/);
      await expect.poll(() => dev.getByRole("heading", { level: 1 }).textContent()).toBe("Submit a ticket");
      expect(await dev.getByLabel("What is it about?").inputValue()).toBe("revoked_badge");
      expect(await dev.getByLabel("Subject").inputValue()).toBe("My badge “Python Foundations” was revoked");
      expect(await dev.getByLabel("Issuer or badge name").inputValue()).toContain("Python Foundations");
      expect(await dev.getByLabel("Email address the badge was sent to").inputValue()).toBe(server.world().dev);
      expect(await dev.getByLabel("What happened?").inputValue()).toContain("I think this is a mistake because");
      await dev.context().close();
    });
  }
});

describe.skipIf(!hasChromium)("a new learner: rate a resolved ticket from the email, download the data, delete the account", () => {
  for (const javaScript of [true, false]) {
    test(`JavaScript ${javaScript ? "on" : "off"}`, async () => {
      const email = `leaver-${randomUUID().slice(0, 8)}@example.test`;
      const password = "a long and private passphrase";
      const learnerContext = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const learner = await learnerContext.newPage();
      await learner.goto("/signup");
      await learner.getByLabel("Your name").fill("Lena Leaver");
      await learner.getByLabel("Email address").fill(email);
      await learner.getByLabel("Password").fill(password);
      await learner.getByRole("button", { name: "Sign up" }).click();
      await expect.poll(() => learner.getByRole("heading", { name: "Check your inbox" }).isVisible()).toBe(true);

      // Signed in by signing up: she files a ticket straight away.
      const subject = `Where is my badge ${randomUUID().slice(0, 6)}`;
      await learner.goto("/tickets/new");
      await learner.getByLabel("What is it about?").selectOption("missing_badge");
      await learner.getByLabel("Subject").fill(subject);
      await learner.getByLabel("What happened?").fill("The course ended last week and nothing arrived.");
      await learner.getByRole("button", { name: "Send ticket" }).click();
      await learner.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      const ticketId = new URL(learner.url()).pathname.split("/").pop()!;

      // Customer Care answers and resolves it.
      const sam = await signedIn(browser(), "sam", javaScript);
      await sam.goto(`/agent/tickets/${ticketId}`);
      await sam.getByLabel("Reply to the requester").fill("It is on its way: the issuer sent it again today.");
      await sam.getByRole("button", { name: "Send and resolve" }).click();
      await expect.poll(() => sam.getByRole("status").first().textContent()).toContain("The ticket is resolved.");

      // The email's "How did we do?" link works in a browser that isn't signed in.
      const strangerContext = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const stranger = await strangerContext.newPage();
      await stranger.goto("/dev/mailbox");
      await stranger.locator("tr", { hasText: email }).getByRole("link", { name: /Resolved/ }).first().click();
      await expect.poll(() => stranger.locator("pre.mail").textContent()).toContain("How did we do?");
      await stranger.locator('pre.mail a[href*="#how-did-we-do"]').click();
      await expect.poll(() => stranger.getByRole("heading", { level: 2, name: "How did we do?" }).isVisible()).toBe(true);
      if (javaScript) await expectAccessible(stranger);
      await stranger.getByLabel("Comment (optional)").fill("Quick and friendly.");
      await stranger.getByRole("button", { name: "Good" }).click();
      await expect.poll(() => stranger.getByRole("status").textContent()).toContain("Thank you for your rating!");
      expect(await stranger.locator(".ticket__rating").textContent()).toContain("You rated this ticket Good: “Quick and friendly.”");
      await strangerContext.close();

      // The agent sees it on the ticket.
      await sam.goto(`/agent/tickets/${ticketId}`);
      await expect.poll(() => sam.locator(".agent-ticket__rating").textContent()).toContain("Good");
      expect(await sam.locator(".agent-ticket__rating").textContent()).toContain("Quick and friendly.");
      await sam.context().close();

      // Download my data: the file holds her ticket and its messages.
      await learner.goto("/my/profile");
      if (javaScript) await expectAccessible(learner);
      const download = await Promise.all([learner.waitForEvent("download"), learner.getByRole("link", { name: "Download my data" }).click()]).then(([d]) => d);
      const exported = JSON.parse(await new Promise<string>((resolve, reject) => {
        download.createReadStream().then((stream) => {
          let text = "";
          stream.on("data", (chunk) => (text += chunk));
          stream.on("end", () => resolve(text));
          stream.on("error", reject);
        }, reject);
      }));
      expect(exported.account.name).toBe("Lena Leaver");
      expect(exported.addresses).toEqual([expect.objectContaining({ email })]);
      expect(exported.tickets.map((t: { subject: string }) => t.subject)).toEqual([subject]);
      expect(JSON.stringify(exported.tickets[0].messages)).toContain("It is on its way");

      // Delete the account: a wrong phrase is refused beside the field, then it goes.
      await learner.getByRole("link", { name: "Delete my account…" }).click();
      await expect.poll(() => learner.getByRole("heading", { level: 1 }).textContent()).toBe("Delete my account");
      await learner.getByLabel("Your password").fill(password);
      await learner.getByLabel(/Type “delete my account” to confirm/).fill("delete it");
      await learner.getByRole("button", { name: "Delete my account" }).click();
      await expect.poll(() => learner.locator(".field__error").first().textContent()).toContain("Type “delete my account” to confirm.");
      expect(await learner.getByLabel(/Type “delete my account” to confirm/).inputValue()).toBe("delete it");
      await learner.getByLabel("Your password").fill(password);
      await learner.getByLabel(/Type “delete my account” to confirm/).fill("delete my account");
      await learner.getByRole("button", { name: "Delete my account" }).click();
      await expect.poll(() => learner.getByRole("heading", { level: 1 }).textContent()).toBe("Your account was deleted");
      expect(await learner.getByRole("link", { name: "Log in" }).isVisible()).toBe(true);

      // She can't sign in any more, and the confirmation is in the mailbox.
      await learner.goto("/login");
      await learner.getByLabel("Email address").fill(email);
      await learner.getByLabel("Password").fill(password);
      await learner.getByRole("button", { name: "Log in" }).click();
      await expect.poll(() => learner.getByRole("alert").textContent()).toContain("Email or password is wrong.");
      await learner.goto("/dev/mailbox");
      expect(await learner.locator("tr", { hasText: email }).getByRole("link", { name: "Your badgedesk account was deleted" }).count()).toBe(1);
      await learnerContext.close();
    });
  }
});

describe.skipIf(!hasChromium)("390 px wide", () => {
  for (const javaScript of [true, false]) {
    test(`one-row header, search under it, suggestions above the Send button (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const ben = await signedIn(browser(), "ben", javaScript, 390);
      await ben.goto("/tickets/new");
      const header = await ben.getByRole("banner").boundingBox();
      const logo = await ben.getByRole("banner").getByRole("link", { name: /badgedesk/ }).first().boundingBox();
      const menu = await ben.getByRole("banner").getByText("Menu").first().boundingBox();
      // Logo and menu on one row.
      expect(Math.abs(logo!.y - menu!.y)).toBeLessThan(20);
      // The search box sits right under the header row, above the page's heading.
      const search = await ben.getByRole("searchbox").first().boundingBox();
      const heading = await ben.getByRole("heading", { level: 1 }).boundingBox();
      expect(search!.y).toBeGreaterThan(logo!.y);
      expect(search!.y).toBeLessThan(heading!.y);
      expect(header!.height).toBeLessThan(140);
      // Read the answers before sending: the suggestions come above the Send button.
      const suggestions = await ben.getByRole("heading", { name: "Answers that may help" }).boundingBox();
      const send = await ben.getByRole("button", { name: "Send ticket" }).boundingBox();
      const fields = await ben.getByLabel("What happened?").boundingBox();
      expect(suggestions!.y).toBeGreaterThan(fields!.y);
      expect(suggestions!.y).toBeLessThan(send!.y);
      await ben.context().close();
    });
  }
});
