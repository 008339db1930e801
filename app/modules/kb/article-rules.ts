// What an article may contain: the front matter's shape and the allow-list of MDX components with
// their literal props. Pure; the compiler (article-compiler.server.ts) applies these rules to the tree.
import { z } from "zod";
import { DIAGNOSIS_CODES, type DiagnosisCode } from "~/lib/diagnosis-codes";
import { CATEGORY_SLUGS } from "./categories";
import { findScreen, knownMenuPaths, MENU_SEPARATOR, PRODUCT_SCREENS, RETIRED_SCREEN_NAMES } from "./product-screens";

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const oneSentence = (value: string) => !/[.!?]\s+[A-Z]/.test(value);

export const ArticleFrontMatter = z
  .object({
    title: z.string({ required_error: "title is missing" }).trim().min(5, "title is too short").max(120, "title is longer than 120 characters"),
    summary: z
      .string({ required_error: "summary is missing" })
      .trim()
      .min(20, "summary is too short: write one full sentence")
      .max(200, "summary is longer than 200 characters: keep it to one sentence")
      .refine(oneSentence, "summary must be one sentence"),
    category: z.enum(CATEGORY_SLUGS, {
      errorMap: () => ({ message: `category must be one of: ${CATEGORY_SLUGS.join(", ")}` }),
    }),
    tags: z
      .array(z.string().trim().min(1, "a tag is empty").max(40, "a tag is longer than 40 characters"), {
        required_error: "tags are missing",
        invalid_type_error: "tags must be a list, e.g. [badge missing, backpack]",
      })
      .min(1, "give at least one tag")
      .max(15, "give at most 15 tags"),
    codes: z
      .array(z.enum(DIAGNOSIS_CODES, { errorMap: (_issue, ctx) => ({ message: `unknown diagnosis code "${String(ctx.data)}"; known codes: ${DIAGNOSIS_CODES.join(", ")}` }) }), {
        invalid_type_error: "codes must be a list, e.g. [award_expired]",
      })
      .default([]),
    updated: z.preprocess(
      (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
      z
        .string({ required_error: "updated is missing", invalid_type_error: "updated must be a date like 2026-11-21" })
        .regex(/^\d{4}-\d{2}-\d{2}$/, "updated must be a date like 2026-11-21")
        .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "updated is not a real date"),
    ),
  })
  .strict();
export type ArticleFrontMatter = z.infer<typeof ArticleFrontMatter>;

/** The components an article may use, each with the props it accepts (all literal strings). */
export const ARTICLE_COMPONENTS: Record<string, { props: Record<string, { required: boolean; values?: readonly string[] }>; inline: boolean; parent?: string }> = {
  Callout: { props: { type: { required: false, values: ["info", "tip", "warning"] }, title: { required: false } }, inline: false },
  Steps: { props: {}, inline: false },
  Step: { props: { title: { required: true } }, inline: false, parent: "Steps" },
  Kbd: { props: {}, inline: true },
  Screenshot: { props: { src: { required: true }, alt: { required: true }, caption: { required: false } }, inline: false },
};
export const ARTICLE_COMPONENT_NAMES = Object.keys(ARTICLE_COMPONENTS);

const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:"]);

/**
 * Whether a link target is safe to put in an article: a path on this site, a fragment, or an
 * http(s)/mailto URL. Browsers ignore tabs, newlines and leading control characters in a scheme
 * ("java\tscript:"), so those are removed before the scheme is read.
 */
export function linkProblem(url: string): string | null {
  const squeezed = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  if (squeezed.startsWith("//")) return `link "${url}" leaves the site without a scheme; write https://…`;
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squeezed)?.[1];
  if (!scheme) return null;
  if (SAFE_SCHEMES.has(`${scheme}:`)) return null;
  return `${scheme}: links are not allowed (only https://, http://, mailto: and paths on this site)`;
}

/** Images must come from this site: the Content-Security-Policy blocks any other origin anyway. */
export function imageProblem(src: string): string | null {
  if (!src.startsWith("/") || src.startsWith("//")) return `image "${src}" must be a path on this site starting with /`;
  return linkProblem(src);
}

/** The slug a heading's anchor gets: lower case, words joined by hyphens, unique within the page. */
export function headingSlug(text: string, taken: Set<string>): string {
  const base =
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9\s-]/g, "")
      .trim()
      .replace(/[\s-]+/g, "-") || "section";
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

// ---------------------------------------------------------------------------------------------
// What an article refers to: other articles, the product's screens and menu paths, diagnosis codes.
// `npm run content:check` applies these to every article; they read the MDX source as lines so a
// problem is reported where the writer can see it.

export interface ReferenceProblem {
  line: number;
  column?: number;
  message: string;
}

export interface ReferenceTargets {
  /** "/faq/<category>/<slug>" → the article's title */
  articles: ReadonlyMap<string, string>;
  categories: ReadonlySet<string>;
}

const MARKDOWN_LINK = /\[([^\]]+)\]\(([^)\s]+)\)/g;
const BOLD = /\*\*([^*]+)\*\*/g;

export function referenceProblems(source: string, targets: ReferenceTargets): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const menuPaths = knownMenuPaths();
  const lines = source.split("\n");
  const bodyStart = frontMatterEnd(lines);
  lines.forEach((line, index) => {
    if (index < bodyStart) return;
    const at = (column: number, message: string) => problems.push({ line: index + 1, column: column + 1, message });
    for (const match of line.matchAll(MARKDOWN_LINK)) {
      const problem = linkTargetProblem(match[1].trim(), match[2], targets);
      if (problem) at(match.index!, problem);
    }
    for (const match of line.matchAll(BOLD)) {
      const name = match[1].trim();
      const retired = RETIRED_SCREEN_NAMES.some((r) => r.name.toLowerCase() === name.toLowerCase()); // reported below, with what to write instead
      if (name.includes("→") && !menuPaths.has(name) && !retired) at(match.index!, `menu path "${name}" doesn't exist; known: ${[...menuPaths].join("; ")}`);
    }
    for (const retired of RETIRED_SCREEN_NAMES) {
      const column = line.toLowerCase().indexOf(retired.name.toLowerCase());
      if (column >= 0) at(column, `"${retired.name}" is not a screen here; name ${retired.instead} instead`);
    }
  });
  return problems.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}

function linkTargetProblem(text: string, target: string, targets: ReferenceTargets): string | null {
  if (!target.startsWith("/") || target.startsWith("//")) return null;
  const [pathAndQuery, anchor] = target.split("#", 2);
  const path = pathAndQuery.split("?")[0].replace(/(.)\/$/, "$1");
  if (path === "/faq" || path.startsWith("/faq/")) {
    const category = /^\/faq\/([a-z0-9-]+)$/.exec(path)?.[1];
    if (path === "/faq" || (category && targets.categories.has(category))) return null;
    const title = targets.articles.get(path);
    if (title === undefined) return `link to ${path}: no such article`;
    return text === title ? null : `link text "${text}" should be the title of the article it links to: "${title}"`;
  }
  const screen = findScreen(path);
  if (!screen) return `link to ${path}: no such screen; known: ${PRODUCT_SCREENS.map((s) => s.path).join(", ")}`;
  if (anchor) {
    const section = screen.sections?.find((s) => s.anchor === anchor);
    if (!section) return `link to ${path}#${anchor}: ${screen.name} has no such section`;
    const menuPath = `${screen.name}${MENU_SEPARATOR}${section.name}`;
    if (text.includes("→") && text !== menuPath) return `link text "${text}" names another screen than ${menuPath}`;
    return null;
  }
  return text.includes("→") ? `link text "${text}" names a menu path, but the link goes to ${screen.name} (${path})` : null;
}

/** The index of the first line after the front matter (0 when there is none). */
function frontMatterEnd(lines: string[]): number {
  if (lines[0]?.trim() !== "---") return 0;
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === "---");
  return close < 0 ? 0 : close + 1;
}

/** Diagnosis codes no article answers: every finding must be able to point a learner to help. */
export function codesWithoutArticle(declared: Iterable<readonly string[]>): DiagnosisCode[] {
  const answered = new Set<string>();
  for (const codes of declared) for (const code of codes) answered.add(code);
  return DIAGNOSIS_CODES.filter((code) => !answered.has(code));
}
