// `npm run content:check` (CI runs it): every article in content/faq must compile under the
// article rules, sit in the folder of its category with a slug for a name, have a unique slug, and
// link only to articles that exist. Prints file:line:column: reason for each problem; exits 1 on any.
import path from "node:path";
import { compileArticle, formatProblem, type ArticleProblem } from "~/modules/kb/article-compiler.server";
import { CONTENT_DIRECTORY, placementProblems, readArticleFiles } from "~/modules/kb/articles.server";
import { CATEGORIES } from "~/modules/kb/categories";

async function main() {
  const directory = process.argv[2] ? path.resolve(process.argv[2]) : CONTENT_DIRECTORY;
  const files = await readArticleFiles(directory);
  const known = new Set(files.map((f) => `/faq/${f.category}/${f.slug}`));
  const knownCategories = new Set<string>(CATEGORIES.map((c) => c.slug));
  const slugs = new Map<string, string>();
  const report: string[] = [];

  for (const file of files) {
    const name = path.relative(process.cwd(), file.file);
    const problems: ArticleProblem[] = [];
    const compiled = await compileArticle(file.source);
    if (compiled.ok) problems.push(...placementProblems(file, compiled.article));
    else problems.push(...compiled.problems, ...placementProblems(file, null));
    if (!knownCategories.has(file.category)) problems.push({ line: 1, message: `folder "${file.category}" is not a category (${[...knownCategories].join(", ")})` });
    const other = slugs.get(file.slug);
    if (other) problems.push({ line: 1, message: `slug "${file.slug}" is already used by ${other}; slugs must be unique across categories` });
    slugs.set(file.slug, name);
    file.source.split("\n").forEach((line, i) => {
      for (const match of line.matchAll(/\]\((\/faq\/[^)#\s]*)/g)) {
        const target = match[1].replace(/\/$/, "");
        const isCategory = /^\/faq\/[a-z0-9-]+$/.test(target) && knownCategories.has(target.slice(5));
        if (!known.has(target) && !isCategory && target !== "/faq") problems.push({ line: i + 1, column: match.index! + 3, message: `link to ${target}: no such article` });
      }
    });
    for (const problem of problems.sort((a, b) => a.line - b.line)) report.push(formatProblem(name, problem));
  }

  if (report.length > 0) {
    console.error(report.join("\n"));
    console.error(`\ncontent check failed: ${report.length} problem(s) in ${files.length} article(s).`);
    process.exit(1);
  }
  console.log(`content check passed: ${files.length} articles.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
