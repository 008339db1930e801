// The FAQ articles' diagnosis codes, read from the front matter of content/faq/<category>/<slug>.mdx.
// The files are the articles' source of truth at deploy time, so reading them once per process is
// enough to link a finding to the article that answers it.
import fs from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { FaqArticleRef } from "./article-links";

let cached: Promise<FaqArticleRef[]> | null = null;

export function faqContentFolder(): string {
  return process.env.BADGEDESK_FAQ_DIR ?? path.resolve(process.cwd(), "content/faq");
}

async function readArticles(folder: string): Promise<FaqArticleRef[]> {
  const categories = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  const articles: FaqArticleRef[] = [];
  for (const category of categories) {
    if (!category.isDirectory()) continue;
    const files = await fs.readdir(path.join(folder, category.name));
    for (const file of files) {
      if (!file.endsWith(".mdx")) continue;
      const meta = parseArticleFrontMatter(await fs.readFile(path.join(folder, category.name, file), "utf8"));
      if (!meta) continue;
      articles.push({ path: `/faq/${category.name}/${file.slice(0, -".mdx".length)}`, title: meta.title, summary: meta.summary, category: category.name, codes: meta.codes });
    }
  }
  return articles.sort((a, b) => a.path.localeCompare(b.path));
}

/** Every FAQ article with the codes it declares; [] if the content folder is missing. */
export function listFaqArticleCodes(): Promise<FaqArticleRef[]> {
  cached ??= readArticles(faqContentFolder()).catch((error) => {
    cached = null;
    throw error;
  });
  return cached;
}

/** Reads the fields this module needs from an MDX file's front matter: title, summary and codes; null if there is none. */
export function parseArticleFrontMatter(source: string): { title: string; summary: string; codes: string[] } | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(typeof source === "string" ? source : "");
  if (!match) return null;
  let fields: unknown;
  try {
    fields = parseYaml(match[1]);
  } catch {
    return null;
  }
  const { title, summary, codes } = (fields ?? {}) as { title?: unknown; summary?: unknown; codes?: unknown };
  if (typeof title !== "string" || !title.trim()) return null;
  return { title: title.trim(), summary: typeof summary === "string" ? summary.trim() : "", codes: Array.isArray(codes) ? codes.filter((c): c is string => typeof c === "string" && c !== "") : [] };
}
