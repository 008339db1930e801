// The editor in a real browser, with and without JavaScript: Priya writes an article, fixes a
// sentence watching the preview, publishes, and the public page and search show the new text; a
// rollback brings the old text back; a screenshot is uploaded and shown on the article. Each run
// works on an article of its own. Priya and the learner are this file's own (the factories, on a
// private server's fresh database, whose articles no other test reads).
import type { Browser, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { expectAccessible, hasChromium, logIn, newContext, useBrowser } from "../support/browser";
import { usePrivateServer } from "../support/private-server";

const { browser } = useBrowser();
const server = usePrivateServer(
  "kb_editor",
  async () => {
    const { createLearner, TEST_PASSWORD } = await import("../support/factories");
    const priya = await createLearner({ name: "Priya Natarajan", roles: ["editor"] });
    const learner = await createLearner({ name: "Ana Souza" });
    return { password: TEST_PASSWORD, priya: priya.email, learner: learner.email };
  },
  { enabled: hasChromium },
);

// A 1×1 PNG.
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const letters = () => Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");

async function signedInAsEditor(from: Browser, javaScript: boolean, width?: number): Promise<Page> {
  const context = await newContext(from, { javaScript, width, baseURL: server.baseURL() });
  const page = await context.newPage();
  await logIn(page, server.world().priya, server.world().password);
  return page;
}

const notice = (page: Page) => page.getByRole("status").first().textContent();
// The machine running the suite may be busy: a notice after a publish is waited for generously.
const seesNotice = (page: Page, text: string) => expect.poll(() => notice(page), { timeout: 30_000 }).toContain(text);

describe.skipIf(!hasChromium)("editing an article", () => {
  for (const javaScript of [true, false]) {
    test(`fix a sentence, publish, see it on the site and in search, roll back, add a screenshot (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const page = await signedInAsEditor(browser(), javaScript, javaScript ? undefined : 390);
      const oldWord = `oldword${letters()}`;
      const newWord = `newword${letters()}`;
      const slug = `editor-test-${letters()}`;

      await page.goto("/editor");
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Articles");
      // axe runs its checks as page scripts, which a browser with JavaScript off never finishes.
      if (javaScript) await expectAccessible(page);
      await page.getByRole("link", { name: "New article" }).click();
      await page.waitForURL(/\/editor\/articles\/new$/);
      await page.getByLabel("Title", { exact: true }).fill(`Renewing a badge ${slug}`);
      await page.getByLabel("Summary", { exact: true }).fill("How to ask the issuer for a fresh badge once yours has expired.");
      await page.getByLabel("Category", { exact: true }).selectOption({ label: "Pathways" });
      await page.getByLabel("Address", { exact: true }).fill(slug);
      await page.getByLabel("Tags", { exact: true }).fill("renew, expired");
      await page.getByLabel("Article (MDX)").fill(`Ask the issuer to award it again. The word to look for is ${oldWord}.\n\n## Who decides\n\nOnly the issuer.\n`);
      await page.getByRole("button", { name: "Publish" }).click();
      await page.waitForURL(/\/editor\/articles\/[0-9a-f-]{36}$/);
      await seesNotice(page, "Published revision 1");
      const editUrl = page.url();

      // Fix the sentence: the preview shows it before anything is saved.
      const body = page.getByLabel("Article (MDX)");
      await body.fill((await body.inputValue()).replace(oldWord, newWord));
      if (!javaScript) await page.getByRole("button", { name: "Preview" }).click();
      await expect.poll(() => page.locator(".editor-preview").textContent()).toContain(newWord);
      // A broken component is caught with its place, and publishing is refused.
      await body.fill(`${await body.inputValue()}\n<Steps><b>bold</b></Steps>\n`);
      if (!javaScript) await page.getByRole("button", { name: "Preview" }).click();
      await expect.poll(() => page.locator(".editor-preview").textContent()).toMatch(/Line \d+/);
      await page.getByRole("button", { name: "Publish" }).click();
      await expect.poll(() => page.locator(".field__error").first().textContent()).toContain("Fix these problems before publishing");
      expect(await body.inputValue()).toContain(newWord);
      await body.fill((await body.inputValue()).replace("\n<Steps><b>bold</b></Steps>\n", ""));
      await page.getByLabel("What changed (optional)").fill("Clearer word");
      await page.getByRole("button", { name: "Publish" }).click();
      await seesNotice(page, "Published revision 2");
      if (javaScript) await expectAccessible(page);

      // Readers see it: the article page and search (within the content version's second).
      const reader = await (await newContext(browser(), { javaScript, baseURL: server.baseURL() })).newPage();
      await reader.goto(`/faq/pathways/${slug}`);
      await expect.poll(() => reader.locator(".kb-article__body").textContent()).toContain(newWord);
      await expect
        .poll(async () => {
          await reader.goto(`/search?q=${newWord}`);
          return reader.locator(".kb-results").textContent().catch(() => "");
        })
        .toContain(`Renewing a badge ${slug}`);

      // Roll back to revision 1: the old word is back.
      await page.getByRole("link", { name: /History/ }).click();
      await page.waitForURL(/\/history$/);
      await expect.poll(() => page.locator(".diff__text").textContent()).toContain(newWord);
      if (javaScript) await expectAccessible(page);
      await page.getByRole("button", { name: "Publish revision 1 again" }).click();
      await seesNotice(page, "as revision 3");
      await expect
        .poll(async () => {
          await reader.goto(`/faq/pathways/${slug}`);
          return reader.locator(".kb-article__body").textContent();
        })
        .toContain(oldWord);

      // A screenshot: uploaded with its description, then shown on the article.
      await page.goto(editUrl);
      await page.getByLabel("Image (PNG, JPEG or WebP, at most 2 MB)").setInputFiles({ name: "menu.png", mimeType: "image/png", buffer: PIXEL });
      await page.getByLabel("What the image shows").fill("The account menu open on Profile");
      if (javaScript) {
        await page.getByRole("button", { name: "Upload and insert" }).click();
        await expect.poll(() => body.inputValue()).toContain('<Screenshot src="/images/');
      } else {
        await page.getByRole("button", { name: "Upload" }).click();
        await seesNotice(page, "Image uploaded");
        const tag = /<Screenshot [^>]+\/>/.exec((await notice(page)) ?? "")![0];
        await body.fill(`${await body.inputValue()}\n${tag}\n`);
      }
      await page.getByRole("button", { name: "Publish" }).click();
      await seesNotice(page, "Published revision 4");
      await expect
        .poll(async () => {
          await reader.goto(`/faq/pathways/${slug}`);
          return reader.getByRole("img", { name: "The account menu open on Profile" }).count();
        })
        .toBe(1);
      const src = await reader.getByRole("img", { name: "The account menu open on Profile" }).getAttribute("src");
      const image = await reader.request.get(src!);
      expect([image.status(), image.headers()["content-type"], image.headers()["x-content-type-options"]]).toEqual([200, "image/png", "nosniff"]);
      await page.context().close();
      await reader.context().close();
    }, 420_000);
  }

  test("the insights page reads without JavaScript, and a learner gets no editor page", async () => {
    const page = await signedInAsEditor(browser(), false);
    await page.goto("/editor/insights?days=7");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Insights");
    expect(await page.getByRole("img", { name: /Searches per day/ }).count()).toBe(1);
    await page.context().close();
    // axe needs page scripts: the same page, checked in a browser with JavaScript on.
    const checked = await signedInAsEditor(browser(), true);
    await checked.goto("/editor/insights?days=7");
    await expectAccessible(checked);
    await checked.context().close();

    const learner = await (await newContext(browser(), { javaScript: true, baseURL: server.baseURL() })).newPage();
    await logIn(learner, server.world().learner, server.world().password);
    const response = await learner.goto("/editor");
    expect(response?.status()).toBe(404);
    await learner.context().close();
  }, 180_000);
});
