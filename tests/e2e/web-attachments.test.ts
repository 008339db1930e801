// Files from the web in real Chromium, with and without JavaScript: a guest files a ticket with a
// screenshot (a program renamed .png refused first, beside the field, with what was typed kept), a
// signed-in learner replies with a PDF, an agent replies with a file and the learner sees it, and
// files over the per-message limit are refused (without JavaScript by the server's 413 page).
//
// The people and tickets are made with the factories before a private server starts on a fresh
// database (tests/support/private-server.ts), with small attachment limits so that "too large"
// takes a few hundred kilobytes.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, logIn, newContext, useBrowser } from "../support/browser";
import { startPrivateServer, type PrivateServer } from "../support/private-server";

const { browser } = useBrowser();

const SCREENSHOT = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from("%PDF-1.4\n% the certificate\n");
const PROGRAM = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), Buffer.alloc(64)]);
const FILE_LIMIT = 100 * 1024;
const MESSAGE_LIMIT = 150 * 1024;
// Two files each within the file limit, over the message's limit together.
const PART = (n: number) => ({ name: `log-${n}.txt`, mimeType: "text/plain", buffer: Buffer.alloc(90 * 1024, "a") });

interface World {
  password: string;
  agentEmail: string;
  learner: { email: string; tickets: Record<"on" | "off", string> };
}

let baseURL = "";
let world: World;
let server: PrivateServer<World> | null = null;

async function buildWorld(): Promise<World> {
  const { createAgent, createLearner, createTicket, TEST_PASSWORD } = await import("../support/factories");
  const tag = randomUUID().slice(0, 6);
  const agent = await createAgent({ name: "Sam Rivera", email: `sam-${tag}@badgedesk.example` });
  const ana = await createLearner({ name: "Ana Souza", email: `ana-${tag}@example.org` });
  const ticket = async (mode: string) => (await createTicket({ requester: ana, subject: `Certificate for my badge (${mode})` })).ticketId;
  return { password: TEST_PASSWORD, agentEmail: agent.email, learner: { email: ana.email, tickets: { on: await ticket("on"), off: await ticket("off") } } };
}

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startPrivateServer("web_attachments", buildWorld, { env: { ATTACHMENT_MAX_BYTES: String(FILE_LIMIT), ATTACHMENTS_PER_MESSAGE_MAX_BYTES: String(MESSAGE_LIMIT) } });
  ({ baseURL, world } = server);
});

afterAll(async () => {
  await server?.stop();
});

async function visitor(b: Browser, javaScript: boolean): Promise<Page> {
  const context = await newContext(b, { javaScript, baseURL });
  return context.newPage();
}

async function signedIn(b: Browser, email: string, javaScript: boolean): Promise<Page> {
  const page = await visitor(b, javaScript);
  await logIn(page, email, world.password);
  return page;
}

const notice = (page: Page) => page.locator(".notice");

/** The file's bytes as the page's own link serves them, with the viewer's cookies. */
async function served(page: Page, url: string) {
  const response = await page.context().request.get(new URL(url, page.url()).toString());
  return { status: response.status(), type: response.headers()["content-type"], body: Buffer.from(await response.body()) };
}

describe.skipIf(!hasChromium)("attachments from the web", () => {
  for (const mode of ["on", "off"] as const) {
    const javaScript = mode === "on";

    test(`a guest files a ticket with a screenshot, after a program renamed .png is refused; the agent sees the picture (JavaScript ${mode})`, async () => {
      const guest = await visitor(browser(), javaScript);
      const subject = `Badge missing after the workshop ${randomUUID().slice(0, 4)}`;
      await guest.goto("/tickets/new");
      await guest.getByLabel("Your name").fill("Noor Haddad");
      await guest.getByLabel("Your email address").fill(`noor-${randomUUID().slice(0, 6)}@example.test`);
      await guest.getByLabel("What is it about?").selectOption({ label: "Missing badge" });
      await guest.getByLabel("Subject").fill(subject);
      await guest.getByLabel("What happened?").fill("The workshop badge never arrived. My backpack is attached.");
      const files = guest.getByLabel("Attach files (optional)");
      await files.setInputFiles([{ name: "holiday.png", mimeType: "image/png", buffer: PROGRAM }]);

      if (javaScript) {
        // Said at once, beside the field; the form is not sent with it.
        const chosen = guest.getByRole("list", { name: "Files to send" });
        await expect.poll(() => chosen.textContent()).toContain("holiday.png is not a PNG, JPEG, GIF or WebP image, a PDF or a plain-text file. Remove it or choose another file.");
        await guest.getByRole("button", { name: "Send ticket" }).click();
        expect(new URL(guest.url()).pathname).toBe("/tickets/new");
        await expectAccessible(guest);
        await guest.getByRole("button", { name: "Remove holiday.png" }).click();
        await expect.poll(() => chosen.count()).toBe(0);
      } else {
        await guest.getByRole("button", { name: "Send ticket" }).click();
        await expect.poll(() => guest.locator("#field-files-error").textContent()).toMatch(/^holiday\.png is not a PNG, JPEG, GIF or WebP image, a PDF or a plain-text file\. Nothing was sent: choose the files again/);
        // Everything typed is kept; only the file has to be chosen again.
        expect(await guest.getByLabel("Subject").inputValue()).toBe(subject);
        expect(await guest.getByLabel("What happened?").inputValue()).toBe("The workshop badge never arrived. My backpack is attached.");
        expect(await guest.getByLabel("Your name").inputValue()).toBe("Noor Haddad");
      }

      await files.setInputFiles([{ name: "screenshot.png", mimeType: "image/png", buffer: SCREENSHOT }]);
      if (javaScript) await expect.poll(() => guest.getByRole("list", { name: "Files to send" }).textContent()).toMatch(/screenshot\.png\s*\(\d+ bytes\)/);
      await guest.getByRole("button", { name: "Send ticket" }).click();
      await expect.poll(() => guest.getByRole("heading", { level: 1 }).textContent()).toBe("Thank you — we have your ticket");
      const reference = /BD-\w{4}-\w{4}/.exec((await guest.getByRole("status").textContent()) ?? "")![0];

      const sam = await signedIn(browser(), world.agentEmail, javaScript);
      await sam.goto("/agent");
      await sam.getByRole("searchbox", { name: "Search", exact: true }).fill(reference.toLowerCase());
      await sam.getByRole("button", { name: "Show tickets" }).click();
      await sam.getByRole("row", { name: new RegExp(reference) }).getByRole("link", { name: subject }).click();
      await expect.poll(() => sam.getByRole("heading", { level: 1 }).textContent()).toBe(subject);
      const image = sam.locator(".message").first().getByRole("img", { name: "screenshot.png" });
      await expect.poll(() => image.count()).toBe(1);
      const file = await served(sam, (await image.getAttribute("src"))!);
      expect(file).toMatchObject({ status: 200, type: "image/png" });
      expect(file.body).toEqual(SCREENSHOT);
      await guest.context().close();
      await sam.context().close();
    });

    test(`a signed-in learner replies with a PDF; an agent replies with a file and the learner sees it (JavaScript ${mode})`, async () => {
      const ticketId = world.learner.tickets[mode];
      const ana = await signedIn(browser(), world.learner.email, javaScript);
      await ana.goto(`/tickets/${ticketId}`);
      await ana.getByLabel("Your reply").fill("Here is the certificate the issuer sent me.");
      await ana.getByLabel("Attach files (optional)").setInputFiles([{ name: "certificate.pdf", mimeType: "application/pdf", buffer: PDF }]);
      if (javaScript) await expectAccessible(ana);
      await ana.getByRole("button", { name: "Send reply" }).click();
      await expect.poll(() => notice(ana).textContent()).toContain("Your reply is on the ticket.");
      const pdfLink = ana.locator(".message").last().getByRole("link", { name: "certificate.pdf" });
      await expect.poll(() => pdfLink.count()).toBe(1);
      const pdf = await served(ana, (await pdfLink.getAttribute("href"))!);
      expect(pdf).toMatchObject({ status: 200, type: "application/pdf" });
      expect(pdf.body).toEqual(PDF);

      const sam = await signedIn(browser(), world.agentEmail, javaScript);
      await sam.goto(`/agent/tickets/${ticketId}`);
      await expect.poll(() => sam.locator(".message", { hasText: "Here is the certificate" }).getByRole("link", { name: "certificate.pdf" }).count()).toBe(1);
      await sam.getByLabel("Reply to the requester").fill("Thank you. Please follow the steps in the guide attached.");
      const composerFiles = sam.getByLabel("Attach files (emailed with the reply)");
      if (javaScript) {
        // Two chosen, one removed before sending: only the other goes.
        await composerFiles.setInputFiles([
          { name: "guide.pdf", mimeType: "application/pdf", buffer: PDF },
          { name: "wrong.png", mimeType: "image/png", buffer: SCREENSHOT },
        ]);
        await sam.getByRole("button", { name: "Remove wrong.png" }).click();
        await expect.poll(() => sam.getByRole("list", { name: "Files to send" }).getByRole("listitem").allTextContents()).toEqual([expect.stringMatching(/^guide\.pdf/)]);
      } else {
        await composerFiles.setInputFiles([{ name: "guide.pdf", mimeType: "application/pdf", buffer: PDF }]);
      }
      await sam.getByRole("button", { name: "Send", exact: true }).click();
      await expect.poll(() => sam.getByRole("status").first().textContent()).toContain("Reply sent.");
      const samReply = sam.locator(".message", { hasText: "Please follow the steps" });
      await expect.poll(() => samReply.getByRole("link", { name: "guide.pdf" }).count()).toBe(1);
      expect(await samReply.getByText("wrong.png").count()).toBe(0);
      // The composer starts the next message with no files chosen.
      expect(await composerFiles.evaluate((input: HTMLInputElement) => input.files?.length ?? 0)).toBe(0);

      await ana.goto(`/tickets/${ticketId}`);
      const answer = ana.locator(".message", { hasText: "Please follow the steps in the guide attached." });
      const guide = answer.getByRole("link", { name: "guide.pdf" });
      await expect.poll(() => guide.count()).toBe(1);
      expect((await served(ana, (await guide.getAttribute("href"))!)).body).toEqual(PDF);
      await ana.context().close();
      await sam.context().close();
    });

    test(`files over the limits are refused before anything is stored; a body larger than any form gets the server's 413 page (JavaScript ${mode})`, async () => {
      const ticketId = world.learner.tickets[mode];
      const ana = await signedIn(browser(), world.learner.email, javaScript);
      await ana.goto(`/tickets/${ticketId}`);
      const reply = ana.getByLabel("Your reply");
      const files = ana.getByLabel("Attach files (optional)");
      await reply.fill("Two logs from my browser.");
      await files.setInputFiles([PART(1), PART(2)]);
      await ana.getByRole("button", { name: "Send reply" }).click();
      if (javaScript) {
        await expect.poll(() => ana.getByRole("list", { name: "Files to send" }).textContent()).toContain("log-2.txt goes over 150 KB for one message.");
      } else {
        await expect.poll(() => ana.locator("#field-files-error").textContent()).toMatch(/^log-2\.txt goes over 150 KB for one message\. Nothing was sent: choose the files again/);
      }
      expect(await reply.inputValue()).toBe("Two logs from my browser.");

      // Larger than the per-message limit plus the rest of a form: refused before it is read.
      await files.setInputFiles([{ name: "recording.txt", mimeType: "text/plain", buffer: Buffer.alloc(1300 * 1024, "a") }]);
      await ana.getByRole("button", { name: "Send reply" }).click();
      if (javaScript) {
        await expect.poll(() => ana.getByRole("list", { name: "Files to send" }).textContent()).toContain("recording.txt is larger than 100 KB.");
        expect(await reply.inputValue()).toBe("Two logs from my browser.");
      } else {
        await expect.poll(() => ana.getByRole("heading", { level: 1 }).textContent()).toBe("That is too large to send");
        expect(await ana.locator("body").textContent()).toContain("The files are too large to send together: at most 150 KB for one message (and 100 KB for one file).");
        await ana.goto(`/tickets/${ticketId}`);
      }
      expect(await ana.locator(".message", { hasText: "Two logs from my browser." }).count()).toBe(0);
      await ana.context().close();
    });
  }
});
