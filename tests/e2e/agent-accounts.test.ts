// The account panel in real Chromium, with and without JavaScript: Ben's badge went to a misspelt
// address (the agent adds it and marks it verified, with evidence) and Dev's badge was revoked (the
// agent asks the issuer, records the authorisation, and the badge is back with its history kept).
//
// The tests make their own people with the factories, before a private server starts on a fresh
// database (see tests/support/private-server.ts): nothing here depends on the demo seed.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, logIn, newContext, useBrowser } from "../support/browser";
import { startPrivateServer, type PrivateServer } from "../support/private-server";

const { browser } = useBrowser();

interface Case {
  learner: { id: string; email: string; name: string };
  ticketId: string;
  address?: string;
  awardId?: string;
}
interface World {
  agentEmail: string;
  password: string;
  ben: Record<"on" | "off", Case>;
  dev: Record<"on" | "off", Case>;
}

let baseURL = "";
let world: World;
let server: PrivateServer<World> | null = null;

async function buildWorld(): Promise<World> {
  const { createAgent, createLearner, TEST_PASSWORD } = await import("../support/factories");
  const { award, createBadge, fileTicket, revoke } = await import("../integration/accounts-fixtures");
  const tag = randomUUID().slice(0, 6);
  const agent = await createAgent({ name: "Sam Rivera", email: `sam-${tag}@badgedesk.example` });
  const benCase = async (mode: string): Promise<Case> => {
    const ben = await createLearner({ name: "Ben Okafor", email: `ben.okafor-${mode}-${tag}@gmail.example` });
    const misspelt = `ben.okafr-${mode}-${tag}@gmail.example`;
    await award(misspelt, { badge: await createBadge("Cloud Basics", "Skyline Academy") });
    const ticket = await fileTicket({ accountId: ben.id, name: "Ben Okafor", email: ben.email, badgeEmail: misspelt, description: `My Cloud Basics badge never arrived (${mode}).` });
    return { learner: ben, ticketId: ticket.id, address: misspelt };
  };
  const devCase = async (mode: string): Promise<Case> => {
    const dev = await createLearner({ name: "Dev Patel", email: `dev.patel-${mode}-${tag}@example.net` });
    const lab = await award(dev.email, { badge: await createBadge("Lab Safety", "Northfield University", { contactEmail: `registrar-${mode}-${tag}@northfield.example` }) });
    await revoke(lab.id, { daysAgo: 4 });
    const ticket = await fileTicket({
      accountId: dev.id,
      name: "Dev Patel",
      email: dev.email,
      category: "revoked_badge",
      description: `I did submit the final assessment; please ask them to check (${mode}).`,
    });
    return { learner: dev, ticketId: ticket.id, awardId: lab.id };
  };
  const built: World = {
    agentEmail: agent.email,
    password: TEST_PASSWORD,
    ben: { on: await benCase("on"), off: await benCase("off") },
    dev: { on: await devCase("on"), off: await devCase("off") },
  };
  return built;
}

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startPrivateServer("agent_accounts", buildWorld);
  ({ baseURL, world } = server);
});

afterAll(async () => {
  await server?.stop();
});

async function signedIn(b: Browser, email: string, javaScript: boolean): Promise<Page> {
  const context = await newContext(b, { javaScript, baseURL });
  const page = await context.newPage();
  await logIn(page, email, world.password);
  return page;
}

const notice = (page: Page) => page.locator(".notice");
const section = (page: Page, name: RegExp) => page.locator("section", { has: page.getByRole("heading", { name }) }).last();

async function backpack(page: Page): Promise<string[]> {
  await page.goto("/my/badges");
  return page.locator("section", { has: page.getByRole("heading", { level: 2, name: /Your backpack/ }) }).getByRole("heading", { level: 3 }).allTextContents();
}

describe.skipIf(!hasChromium)("Agent account panel", () => {
  for (const mode of ["on", "off"] as const) {
    const javaScript = mode === "on";

    test(`Ben: the agent adds the misspelt address and marks it verified with evidence; the badge reaches his backpack (JavaScript ${mode})`, async () => {
      const { learner, ticketId, address } = world.ben[mode];
      const page = await signedIn(browser(), world.agentEmail, javaScript);

      // From the ticket, the panel finds Ben by his address and shows the badge at the address he gave.
      await page.goto(`/agent/accounts?ticket=${ticketId}`);
      await expect.poll(() => page.locator("#account-panel-heading").textContent()).toBe("Ben Okafor");
      const finding = page.locator(".panel-ticket-address");
      expect(await finding.textContent()).toContain(`A badge was sent to ${address}, the address on the ticket`);
      expect(await finding.textContent()).toContain("Cloud Basics (Skyline Academy");
      if (javaScript) await expectAccessible(page);

      await finding.getByRole("button", { name: `Add ${address} to this account` }).click();
      await expect.poll(() => notice(page).textContent()).toContain(`Added ${address}, unverified`);

      // Marking it verified needs written evidence: too little is answered beside the field, kept.
      const row = section(page, /^Addresses$/).getByRole("listitem").filter({ hasText: address! });
      await row.getByText("Mark verified…").click();
      await row.getByLabel("Identity evidence you checked").fill("he said");
      await row.getByRole("button", { name: `Mark ${address} verified` }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toContain("at least 10 characters");
      const evidence = page.getByLabel("Identity evidence you checked");
      expect(await evidence.inputValue()).toBe("he said");
      await evidence.fill("Ben wrote from his verified address and named the course, date and issuer");
      await page.getByRole("button", { name: `Mark ${address} verified` }).click();
      await expect.poll(() => notice(page).textContent()).toContain(`${address} is verified`);
      expect(await section(page, /^Awards/).getByRole("listitem").filter({ hasText: "Cloud Basics" }).textContent()).toContain("In the backpack");

      // Ben sees it at once.
      const ben = await signedIn(browser(), learner.email, javaScript);
      expect(await backpack(ben)).toEqual(["Cloud Basics"]);
      await ben.context().close();
      await page.context().close();
    });

    test(`Dev: the agent asks the issuer, records the authorisation, and the badge is back with the history kept (JavaScript ${mode})`, async () => {
      const { learner, ticketId, awardId } = world.dev[mode];
      const page = await signedIn(browser(), world.agentEmail, javaScript);
      await page.goto(`/agent/accounts?ticket=${ticketId}`);
      await expect.poll(() => page.locator("#account-panel-heading").textContent()).toBe("Dev Patel");
      const lab = section(page, /^Awards/).getByRole("listitem").filter({ hasText: "Lab Safety" }).first();
      expect(await lab.textContent()).toContain("Revoked");

      await lab.getByText("Ask the issuer", { exact: true }).click();
      await lab.getByRole("button", { name: "Email the issuer" }).click();
      await expect.poll(() => notice(page).textContent()).toContain("The ticket is pending, waiting for the issuer.");

      await page.goto("/dev/mailbox");
      expect(await page.getByRole("link", { name: /Reinstatement request: Lab Safety/ }).count()).toBeGreaterThan(0);

      await page.goto(`/agent/accounts/${learner.id}?ticket=${ticketId}`);
      const award = page.locator(".panel-award", { hasText: awardId! });
      await award.getByText("Record issuer's authorisation").click();
      await award.getByLabel("Authorised by (name and role)").fill("Dr Lee, Registrar");
      await award.getByLabel("Date of the authorisation").fill(new Date().toISOString().slice(0, 10));
      await award.getByLabel("Issuer's reference").fill("NU-2291");
      await award.getByRole("button", { name: "Reinstate the badge" }).click();
      await expect.poll(() => notice(page).textContent()).toContain("“Lab Safety” is reinstated (authorised by Dr Lee, Registrar)");

      const after = page.locator(".panel-award", { hasText: awardId! });
      expect(await after.textContent()).toContain("In the backpack");
      const history = await after.locator(".panel-history").textContent();
      expect(history).toContain("Revoked");
      expect(history).toContain("Assessment not submitted");
      expect(history).toContain("Reinstated, authorised by Dr Lee, Registrar");
      expect(history).toContain("reference NU-2291");
      if (javaScript) await expectAccessible(page);

      const dev = await signedIn(browser(), learner.email, javaScript);
      expect(await backpack(dev)).toEqual(["Lab Safety"]);
      await dev.context().close();
      await page.context().close();
    });
  }
});
