// `npm run content:check` (CI runs it): every article in content/faq must compile under the
// article rules, sit in the folder of its category with a slug for a name, have a unique slug,
// link only to articles that exist (with their title as the link text) and to screens the product
// has, name only real menu paths, and every diagnosis code must have an article that answers it.
// Prints file:line:column: reason for each problem; exits 1 on any.
import path from "node:path";
import { compileArticle, formatProblem, type ArticleProblem } from "~/modules/kb/article-compiler.server";
import { codesWithoutArticle, referenceProblems } from "~/modules/kb/article-rules";
import { CONTENT_DIRECTORY, placementProblems, readArticleFiles } from "~/modules/kb/articles.server";
import { articleUrl, CATEGORIES } from "~/modules/kb/categories";

async function main() {
  const directory = process.argv[2] ? path.resolve(process.argv[2]) : CONTENT_DIRECTORY;
  const files = await readArticleFiles(directory);
  const compiled = await Promise.all(files.map((file) => compileArticle(file.source)));
  const titles = new Map<string, string>();
  compiled.forEach((result, i) => {
    if (result.ok) titles.set(articleUrl(files[i]), result.article.frontMatter.title);
  });
  const categories = new Set<string>(CATEGORIES.map((c) => c.slug));
  const slugs = new Map<string, string>();
  const report: string[] = [];

  files.forEach((file, i) => {
    const name = path.relative(process.cwd(), file.file);
    const result = compiled[i];
    const problems: ArticleProblem[] = [];
    if (result.ok) problems.push(...placementProblems(file, result.article));
    else problems.push(...result.problems, ...placementProblems(file, null));
    if (!categories.has(file.category)) problems.push({ line: 1, message: `folder "${file.category}" is not a category (${[...categories].join(", ")})` });
    const other = slugs.get(file.slug);
    if (other) problems.push({ line: 1, message: `slug "${file.slug}" is already used by ${other}; slugs must be unique across categories` });
    slugs.set(file.slug, name);
    problems.push(...referenceProblems(file.source, { articles: titles, categories }));
    for (const problem of problems.sort((a, b) => a.line - b.line)) report.push(formatProblem(name, problem));
  });

  const declared = compiled.flatMap((result) => (result.ok ? [result.article.frontMatter.codes] : []));
  for (const code of codesWithoutArticle(declared)) {
    report.push(`${path.relative(process.cwd(), directory) || "."}: diagnosis code ${code} has no article; add it to the codes: [...] of the article that answers it`);
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
