// The agent desk in a real browser, with and without JavaScript: Ana's ticket seen from the queue
// (an agent finds it, takes it, answers with a macro and resolves; Ana reads the answer under My
// tickets), two agents on one ticket (the second send is refused, the draft kept), and deleting a
// macro through its confirm step.
//
// The people and the macros are the test's own, made with the factories before a private server
// starts on a fresh database (tests/support/private-server.ts): nothing depends on the demo seed.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, newContext, openLinkFromMailbox, useBrowser } from "../support/browser";
import { startPrivateServer, type PrivateServer } from "../support/private-server";

const { browser } = useBrowser();

const UNVERIFIED_MACRO = {
  title: "Badges at an unverified address",
  setsStatus: "resolved" as const,
  body: "Hi {{requester.name}},\n\nYour badges were awarded to an address on your account that isn't verified yet, so they were waiting out of sight. Open the verification link we sent and they are in your backpack.\n\nMore about this: {{article:badge-not-showing-in-backpack}}\n\nYour ticket: {{ticket.link}} ({{ticket.reference}})",
};

interface World {
  password: string;
  ana: { email: string };
  sam: { email: string };
  jordan: { email: string };
  admin: { email: string };
  /** A macro to delete, per JavaScript mode. */
  oldMacro: Record<"on" | "off", { id: string; title: string }>;
}

let server: PrivateServer<World> | null = null;
let world: World;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startPrivateServer("agent_desk", async () => {
    const { createAgent, createLearner, createMacro, TEST_PASSWORD } = await import("../support/factories");
    const tag = randomUUID().slice(0, 6);
    const ana = await createLearner({ name: "Ana Souza", email: `ana.souza-${tag}@example.org` });
    const sam = await createAgent({ name: "Sam Rivera", email: `sam.rivera-${tag}@badgedesk.example` });
    const jordan = await createAgent({ name: "Jordan Lee", email: `jordan.lee-${tag}@badgedesk.example` });
    const admin = await createLearner({ name: "Alex Morgan", email: `alex.morgan-${tag}@badgedesk.example`, roles: ["admin"] });
    await createMacro(UNVERIFIED_MACRO);
    const oldMacro = {
      on: await createMacro({ title: "Old greeting (with JavaScript)", body: "Hello {{requester.name}}, an old greeting." }),
      off: await createMacro({ title: "Old greeting (without JavaScript)", body: "Hello {{requester.name}}, an old greeting." }),
    };
    return { password: TEST_PASSWORD, ana, sam, jordan, admin, oldMacro };
  });
  world = server.world;
});

afterAll(async () => {
  await server?.stop();
});

async function signedIn(from: Browser, email: string, javaScript: boolean): Promise<Page> {
  const context = await newContext(from, { javaScript, baseURL: server!.baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(world.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("You are logged in.");
  return page;
}

/** The page is wider than the window: the reader would have to scroll sideways. */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** Ana files a ticket from the form; returns its subject and reference. */
async function anaFilesATicket(page: Page): Promise<{ subject: string; reference: string }> {
  const subject = `My badges are missing (${randomUUID().slice(0, 6)})`;
  await page.goto("/tickets/new");
  await page.getByLabel("What is it about?").selectOption({ label: "Missing badge" });
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("What happened?").fill("Lakeside awarded me two badges but they are not in my backpack.");
  await page.getByRole("button", { name: "Send ticket" }).click();
  await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
  await expect.poll(() => page.getByRole("status").textContent()).toMatch(/We have your ticket BD-/);
  const reference = (await page.locator(".ticket__reference").textContent())!.replace("Ticket ", "").trim();
  return { subject, reference };
}

async function openFromQueue(page: Page, reference: string, subject: string, { checkAccessibility }: { checkAccessibility: boolean }) {
  await page.goto("/agent");
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Agent desk");
  if (checkAccessibility) await expectAccessible(page);
  await page.getByRole("searchbox", { name: "Search", exact: true }).fill(reference.toLowerCase());
  await page.getByRole("button", { name: "Show tickets" }).click();
  await expect.poll(() => page.getByRole("heading", { level: 2, name: /Tickets matching/ }).count()).toBe(1);
  const row = page.getByRole("row", { name: new RegExp(reference) });
  await expect.poll(() => row.textContent()).toContain("Requester wrote last");
  await row.getByRole("link", { name: subject }).click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(subject);
}

describe.skipIf(!hasChromium)("the agent desk", () => {
  for (const javaScript of [true, false]) {
    test(`Ana's ticket from the queue: the agent takes it, answers with a macro and resolves; Ana reads the answer (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const ana = await signedIn(browser(), world.ana.email, javaScript);
      const { subject, reference } = await anaFilesATicket(ana);

      const sam = await signedIn(browser(), world.sam.email, javaScript);
      await openFromQueue(sam, reference, subject, { checkAccessibility: javaScript });
      if (javaScript) await expectAccessible(sam);
      await sam.getByRole("button", { name: "Assign to me" }).click();
      await expect.poll(() => sam.getByRole("status").first().textContent()).toContain("Assigned to you.");
      await expect.poll(() => sam.locator(".thread__note").last().textContent()).toContain("Sam Rivera took the ticket.");

      await sam.getByLabel("Macro").selectOption({ label: "Badges at an unverified address" });
      await sam.getByRole("button", { name: "Insert", exact: true }).click();
      await expect.poll(() => sam.getByLabel("Reply to the requester").inputValue()).toContain("Hi Ana Souza,");
      const draft = await sam.getByLabel("Reply to the requester").inputValue();
      expect(draft).toContain(reference);
      expect(draft).toMatch(/My badge was awarded but doesn't show up in my backpack: http:\/\/localhost:\d+\/faq\/backpack-and-badges\/badge-not-showing-in-backpack/);
      if (javaScript) await expectAccessible(sam);
      await sam.getByRole("button", { name: "Send and resolve" }).click();
      await expect.poll(() => sam.getByRole("status").first().textContent()).toContain("Reply sent. The ticket is resolved.");
      await expect.poll(() => sam.locator(".message").last().textContent()).toContain("Public reply — emailed");
      await expect.poll(() => sam.getByLabel("Reply to the requester").inputValue()).toBe("");

      await ana.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My tickets" }).click();
      await expect.poll(() => ana.getByRole("heading", { level: 1 }).textContent()).toBe("My tickets");
      await ana.getByRole("link", { name: subject }).click();
      await expect.poll(() => ana.getByRole("heading", { level: 1 }).textContent()).toBe(subject);
      await expect.poll(() => ana.locator(".message").last().textContent()).toContain("Your badges were awarded to an address on your account that isn't verified yet");
      await expect.poll(() => ana.locator(".ticket__status .status-tag").textContent()).toBe("Resolved");
      await ana.context().close();
      await sam.context().close();
    });

    test(`two agents on one ticket: the second send is refused and the draft kept (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const ana = await signedIn(browser(), world.ana.email, javaScript);
      const { subject, reference } = await anaFilesATicket(ana);
      const sam = await signedIn(browser(), world.sam.email, javaScript);
      const jordan = await signedIn(browser(), world.jordan.email, javaScript);
      await openFromQueue(sam, reference, subject, { checkAccessibility: false });
      await openFromQueue(jordan, reference, subject, { checkAccessibility: false });

      if (javaScript) {
        // Each sees the other on the ticket, from the page's poll.
        await expect.poll(() => sam.getByRole("status").filter({ hasText: "also looking" }).textContent(), { timeout: 15_000 }).toContain("Jordan Lee is also looking at this ticket.");
      }
      const samsDraft = "Hi Ana, I'm sending you a verification link for your school address.";
      await sam.getByLabel("Reply to the requester").fill(samsDraft);

      await jordan.getByLabel("Reply to the requester").fill("Hi Ana, Jordan here: I'm on it.");
      await jordan.getByRole("button", { name: "Send", exact: true }).click();
      await expect.poll(() => jordan.getByRole("status").first().textContent()).toContain("Reply sent.");

      if (javaScript) {
        await expect.poll(() => sam.getByRole("status").filter({ hasText: "since you opened it" }).textContent(), { timeout: 15_000 }).toContain(
          "Jordan Lee replied to this ticket since you opened it.",
        );
      }
      await sam.getByRole("button", { name: "Send", exact: true }).click();
      const collision = sam.getByRole("alert").filter({ hasText: "This ticket changed since you opened it" });
      await expect.poll(() => collision.count()).toBe(1);
      expect(await collision.textContent()).toContain("Hi Ana, Jordan here: I'm on it.");
      expect(await sam.getByLabel("Reply to the requester").inputValue()).toBe(samsDraft);
      if (javaScript) await expectAccessible(sam);

      // Having read Jordan's answer, Sam can still send.
      await sam.getByRole("button", { name: "Send", exact: true }).click();
      await expect.poll(() => sam.getByRole("status").first().textContent()).toContain("Reply sent.");
      const replies = await sam.locator(".message--agent").allTextContents();
      expect(replies.filter((r) => r.includes(samsDraft))).toHaveLength(1);
      for (const page of [ana, sam, jordan]) await page.context().close();
    });
  }

  for (const mode of ["on", "off"] as const) {
    test(`deleting a macro asks first, naming it; "Keep it" keeps it and confirming deletes it (JavaScript ${mode})`, async () => {
      const macro = world.oldMacro[mode];
      const sam = await signedIn(browser(), world.sam.email, mode === "on");
      await sam.goto("/agent/macros");
      await sam.getByRole("link", { name: macro.title }).click();
      await expect.poll(() => sam.getByRole("heading", { level: 1 }).textContent()).toBe(`Edit “${macro.title}”`);

      await sam.getByRole("link", { name: "Delete this macro…" }).click();
      await expect.poll(() => sam.getByRole("heading", { level: 1 }).textContent()).toBe(`Delete “${macro.title}”?`);
      if (mode === "on") await expectAccessible(sam);
      await sam.getByRole("link", { name: "Keep it" }).click();
      await expect.poll(() => sam.getByRole("heading", { level: 1 }).textContent()).toBe(`Edit “${macro.title}”`);

      await sam.getByRole("link", { name: "Delete this macro…" }).click();
      await expect.poll(() => sam.getByRole("heading", { level: 1 }).textContent()).toBe(`Delete “${macro.title}”?`);
      await sam.getByRole("button", { name: "Delete the macro" }).click();
      await expect.poll(() => sam.getByRole("status").first().textContent()).toContain("The macro is deleted.");
      await expect.poll(() => sam.getByRole("heading", { level: 1 }).textContent()).toBe("Macros");
      expect(await sam.getByRole("link", { name: macro.title }).count()).toBe(0);
      await sam.context().close();
    });
  }

  test("a requester's long unbroken name, subject and text wrap on a 390 px phone: the guest's pages, the queue and the agent's ticket page never scroll sideways (and the queue's table at 1280 px)", async () => {
    const width = 390;
    const word = (stem: string) => stem.repeat(8);
    const name = `Mallory ${word("Longname")}`;
    const subject = `Badge missing ${"Supercalifragilistic".repeat(5)}`;
    const email = `guest-${randomUUID().slice(0, 6)}@example.org`;

    const guest = await (await newContext(browser(), { javaScript: false, width, baseURL: server!.baseURL })).newPage();
    await guest.goto("/tickets/new");
    await guest.getByLabel("Your name").fill(name);
    await guest.getByLabel("Your email address").fill(email);
    await guest.getByLabel("What is it about?").selectOption({ label: "Missing badge" });
    await guest.getByLabel("Subject").fill(subject);
    await guest.getByLabel("What happened?").fill(`See https://example.org/${"a".repeat(200)} and ${word("Unbroken")}`);
    await guest.getByRole("button", { name: "Send ticket" }).click();
    await expect.poll(() => guest.getByRole("heading", { level: 1 }).textContent()).toBe("Thank you — we have your ticket");
    const reference = (await guest.getByRole("status").textContent())!.match(/BD-\w{4}-\w{4}/)![0];
    expect(await scrollsSideways(guest)).toBe(false);
    await openLinkFromMailbox(guest, email, /We received your request/);
    await expect.poll(() => guest.getByRole("heading", { level: 1 }).textContent()).toBe(subject);
    expect(await scrollsSideways(guest)).toBe(false);

    const sam = await signedIn(browser(), world.sam.email, false);
    await sam.setViewportSize({ width, height: 844 });
    await openFromQueue(sam, reference, subject, { checkAccessibility: false });
    await expect.poll(() => sam.locator(".message").first().textContent()).toContain(name);
    expect(await scrollsSideways(sam)).toBe(false);
    await sam.goto("/agent");
    await expect.poll(() => sam.getByRole("row", { name: new RegExp(reference) }).count()).toBe(1);
    expect(await scrollsSideways(sam)).toBe(false);
    // On a desktop the queue is a table: its columns must still wrap the long words, without
    // squeezing the others so far that a plain word is split ("Unassigne-d").
    await sam.setViewportSize({ width: 1280, height: 900 });
    expect(await scrollsSideways(sam)).toBe(false);
    const unassigned = sam.getByRole("row", { name: new RegExp(reference) }).getByText("Unassigned", { exact: true });
    expect(await unassigned.evaluate((element) => element.getClientRects().length)).toBe(1);
    await guest.context().close();
    await sam.context().close();
  });

  test("on a 390 px phone the Roles page shows one card per account, its role buttons on the screen", async () => {
    const admin = await signedIn(browser(), world.admin.email, false);
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.goto("/admin/roles");
    const row = admin.getByRole("row", { name: /Sam Rivera/ });
    await expect.poll(() => row.count()).toBe(1);
    expect(await scrollsSideways(admin)).toBe(false);
    const rowsOfButtons = new Set<number>();
    for (const button of await row.getByRole("button").all()) {
      const box = (await button.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      rowsOfButtons.add(Math.round(box.y));
    }
    // Side by side across the card, not squeezed into a column one above the other.
    expect(rowsOfButtons.size).toBeLessThanOrEqual(2);
    expect(await row.getByRole("button", { name: "agent ✓" }).count()).toBe(1);
    await admin.context().close();
  });

  test("a learner who finds the agent desk's address gets the not-found page", async () => {
    const ana = await signedIn(browser(), world.ana.email, false);
    const response = await ana.goto("/agent");
    expect(response?.status()).toBe(404);
    expect(await ana.getByRole("heading", { level: 1 }).textContent()).toBe("We couldn't find that page");
    await ana.context().close();
  });
});
