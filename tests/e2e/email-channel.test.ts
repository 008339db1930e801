// The email channel in a real browser, with and without JavaScript: a guest files a ticket, an
// agent answers, the guest replies by email (the development mailbox's "Reply as the recipient")
// with a screenshot, and the agent sees the reply without the quote, and the image, in the thread.
// The agent is this file's own (the factories, on a private server's fresh database).
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { hasChromium, logIn, newContext, useBrowser } from "../support/browser";
import { usePrivateServer } from "../support/private-server";

const { browser } = useBrowser();
const server = usePrivateServer(
  "email_channel",
  async () => {
    const { createAgent, TEST_PASSWORD } = await import("../support/factories");
    return { password: TEST_PASSWORD, sam: (await createAgent({ name: "Sam Rivera" })).email };
  },
  { enabled: hasChromium },
);
// A 1×1 PNG: what a screenshot is, as far as the type check is concerned.
const SCREENSHOT = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

describe.skipIf(!hasChromium)("replies by email", () => {
  for (const javaScript of [true, false]) {
    test(`a guest's emailed reply with a screenshot reaches the agent's thread without the quote (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const guestContext = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const agentContext = await newContext(browser(), { javaScript, baseURL: server.baseURL() });
      const guest = await guestContext.newPage();
      const sam = await agentContext.newPage();
      const email = `mailer-${randomUUID().slice(0, 8)}@example.test`;
      const subject = `Badge missing after the workshop ${randomUUID().slice(0, 4)}`;

      await guest.goto("/tickets/new");
      await guest.getByLabel("Your name").fill("Noor Haddad");
      await guest.getByLabel("Your email address").fill(email);
      await guest.getByLabel("What is it about?").selectOption({ label: "Missing badge" });
      await guest.getByLabel("Subject").fill(subject);
      await guest.getByLabel("What happened?").fill("The workshop badge never arrived.");
      await guest.getByRole("button", { name: "Send ticket" }).click();
      await expect.poll(() => guest.getByRole("status").textContent()).toMatch(/We have your ticket BD-/);
      const reference = /BD-\w{4}-\w{4}/.exec((await guest.getByRole("status").textContent()) ?? "")![0];

      await logIn(sam, server.world().sam, server.world().password);
      await sam.goto("/agent");
      await sam.getByRole("searchbox", { name: "Search", exact: true }).fill(reference.toLowerCase());
      await sam.getByRole("button", { name: "Show tickets" }).click();
      await sam.getByRole("row", { name: new RegExp(reference) }).getByRole("link", { name: subject }).click();
      await expect.poll(() => sam.getByRole("heading", { level: 1 }).textContent()).toBe(subject);
      const ticketUrl = sam.url();
      await sam.getByLabel("Reply to the requester").fill("Could you send a screenshot of your backpack?");
      await sam.getByRole("button", { name: "Send", exact: true }).click();
      await expect.poll(() => sam.getByRole("status").first().textContent()).toContain("Reply sent.");

      // The guest answers the emailed reply from the development mailbox, with a screenshot.
      await guest.goto("/dev/mailbox");
      const row = guest.locator("tr", { hasText: email }).filter({ has: guest.getByRole("link", { name: /New reply/ }) }).first();
      await row.getByRole("link", { name: /New reply/ }).click();
      await expect.poll(() => guest.getByRole("heading", { level: 1 }).textContent()).toContain(`[${reference}] New reply`);
      await guest.getByLabel("Reply", { exact: true }).fill("Here it is — the workshop badge is not there.");
      await guest.getByLabel("Attach files (optional)").setInputFiles({ name: "screenshot.png", mimeType: "image/png", buffer: SCREENSHOT });
      await guest.getByRole("button", { name: "Send reply" }).click();
      await expect.poll(() => guest.getByRole("status").textContent()).toContain("added to its ticket as the requester's reply");

      await sam.goto(ticketUrl);
      const reply = sam.locator(".message", { hasText: "Here it is — the workshop badge is not there." });
      await expect.poll(() => reply.count()).toBe(1);
      const replyText = (await reply.textContent()) ?? "";
      expect(replyText).toContain("From the requester — by email");
      expect(replyText).not.toContain("Please type your reply above this line");
      expect(replyText).not.toContain("Could you send a screenshot");
      const image = reply.getByRole("img", { name: "screenshot.png" });
      expect(await image.count()).toBe(1);
      const served = await agentContext.request.get(new URL((await image.getAttribute("src"))!, ticketUrl).toString());
      expect(served.status()).toBe(200);
      expect(served.headers()["content-type"]).toBe("image/png");
      expect(Buffer.from(await served.body())).toEqual(SCREENSHOT);
      expect(await reply.getByRole("link", { name: "Show the original email" }).count()).toBe(1);

      await guestContext.close();
      await agentContext.close();
    });
  }
});
