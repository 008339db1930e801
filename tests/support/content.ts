// The articles in content/faq, counted from the files: tests compare with this, not a number that goes stale.
import fs from "node:fs";
import path from "node:path";

export const ARTICLE_FILE_COUNT = fs.readdirSync(path.resolve("content/faq"), { recursive: true }).filter((name) => String(name).endsWith(".mdx")).length;
