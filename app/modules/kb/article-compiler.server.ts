// Reads an article file (front matter + MDX) and compiles it to static HTML. Article source is
// untrusted code (editors write it in the browser), so the MDX tree is checked against an allow-list
// before anything is compiled: no import/export, no {expressions}, only allow-listed components with
// literal props, no event handlers, no javascript: links. Every problem names its line.
import { createHash } from "node:crypto";
import { compile, run } from "@mdx-js/mdx";
import { createElement, type ComponentType } from "react";
import * as jsxRuntime from "react/jsx-runtime";
import { renderToStaticMarkup } from "react-dom/server";
import { LineCounter, parseDocument } from "yaml";
import { ARTICLE_COMPONENT_NAMES, ARTICLE_COMPONENTS, ArticleFrontMatter, headingSlug, imageProblem, linkProblem } from "./article-rules";
import { articleComponents } from "./article-components";

/** Bump when the components or the HTML they produce change: older cached HTML is then recompiled. */
export const RENDERER_VERSION = 1;

export interface ArticleProblem {
  line: number;
  column?: number;
  message: string;
}

export interface ArticleHeading {
  id: string;
  text: string;
  level: number;
}

export interface CompiledArticle {
  frontMatter: ArticleFrontMatter;
  html: string;
  headings: ArticleHeading[];
  plainText: string;
  contentHash: string;
  rendererVersion: number;
}

export type CompileResult = { ok: true; article: CompiledArticle } | { ok: false; problems: ArticleProblem[] };

export const contentHash = (source: string) => createHash("sha256").update(source).digest("hex");

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits the file; the body keeps its line numbers (front matter lines become blank lines). */
export function splitFrontMatter(source: string): { yaml: string; body: string } | null {
  const match = FRONT_MATTER.exec(source);
  if (!match) return null;
  const blankLines = "\n".repeat(match[0].split("\n").length - 1);
  return { yaml: match[1], body: blankLines + source.slice(match[0].length) };
}

export function readFrontMatter(source: string): { ok: true; frontMatter: ArticleFrontMatter } | { ok: false; problems: ArticleProblem[] } {
  const parts = splitFrontMatter(source);
  if (!parts) return { ok: false, problems: [{ line: 1, message: "the file must start with front matter between two --- lines" }] };
  const lineCounter = new LineCounter();
  const document = parseDocument(parts.yaml, { lineCounter, uniqueKeys: true, prettyErrors: false });
  // +1: the yaml starts on the line after the opening ---.
  const at = (offset: number) => lineCounter.linePos(offset).line + 1;
  if (document.errors.length > 0) {
    return { ok: false, problems: document.errors.map((error) => ({ line: at(error.pos[0]), message: `front matter: ${error.message.split("\n")[0]}` })) };
  }
  const parsed = ArticleFrontMatter.safeParse(document.toJS() ?? {});
  if (parsed.success) return { ok: true, frontMatter: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    let line = 1;
    for (let depth = issue.path.length; depth > 0; depth--) {
      const node = document.getIn(issue.path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        line = at(node.range[0]);
        break;
      }
    }
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0];
      const pair = (document.contents as { items?: { key: { value?: unknown; range?: [number, number, number] } }[] })?.items?.find((item) => item.key.value === key);
      if (pair?.key.range) line = at(pair.key.range[0]);
      return { line, message: `front matter: unknown field "${issue.keys.join('", "')}" (allowed: title, summary, category, tags, codes, updated)` };
    }
    return { line, message: `front matter: ${issue.message}` };
  });
  return { ok: false, problems };
}

// ---------------------------------------------------------------------------------------------
// The allow-list check over the MDX syntax tree.

interface MdNode {
  type: string;
  children?: MdNode[];
  position?: { start: { line: number; column: number } };
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  value?: string;
  url?: string;
  alt?: string | null;
  depth?: number;
}

const RAW_HTML_DANGER = new Set(["script", "iframe", "object", "embed", "style", "link", "meta", "form", "input", "button", "frame", "frameset", "base", "svg", "math"]);

function checkTree(root: MdNode): ArticleProblem[] {
  const problems: ArticleProblem[] = [];
  const report = (node: MdNode, message: string) =>
    problems.push({ line: node.position?.start.line ?? 1, column: node.position?.start.column, message });

  const visit = (node: MdNode, parent: MdNode | null) => {
    switch (node.type) {
      case "mdxjsEsm":
        report(node, "import and export are not allowed in articles; use the built-in components (Callout, Steps, Step, Kbd, Screenshot)");
        return;
      case "mdxFlowExpression":
      case "mdxTextExpression":
        report(node, "JavaScript expressions in { } are not allowed in articles; to write a brace as text, escape it as \\{");
        return;
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement":
        checkElement(node, parent, report);
        break;
      case "heading":
        if (node.depth === 1) report(node, "use ## for sections: the title from the front matter is the page's only level-1 heading");
        break;
      case "link":
      case "definition": {
        const problem = linkProblem(node.url ?? "");
        if (problem) report(node, problem);
        break;
      }
      case "image": {
        const problem = imageProblem(node.url ?? "");
        if (problem) report(node, problem);
        if (!node.alt?.trim()) report(node, "an image needs alt text that says what it shows: ![Account menu open on Profile](/…)");
        break;
      }
      case "html":
        report(node, "raw HTML is not allowed in articles; use Markdown or the components Callout, Steps, Step, Kbd, Screenshot");
        return;
    }
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(root, null);
  return problems;
}

function checkElement(node: MdNode, parent: MdNode | null, report: (node: MdNode, message: string) => void) {
  const name = node.name;
  if (!name) {
    report(node, "fragments <>…</> are not allowed in articles");
    return;
  }
  const spec = ARTICLE_COMPONENTS[name];
  if (!spec) {
    const lower = name.toLowerCase();
    if (RAW_HTML_DANGER.has(lower)) report(node, `raw <${name}> is not allowed in articles`);
    else if (/^[a-z]/.test(name)) report(node, `raw HTML <${name}> is not allowed in articles; use Markdown or one of the components: ${ARTICLE_COMPONENT_NAMES.join(", ")}`);
    else report(node, `<${name}> is not an allowed component; use one of: ${ARTICLE_COMPONENT_NAMES.join(", ")}`);
    for (const attribute of node.attributes ?? []) {
      if (attribute.name && /^on/i.test(attribute.name)) report(node, `event-handler attribute ${attribute.name} is not allowed in articles`);
    }
    return;
  }
  const seen = new Set<string>();
  for (const attribute of node.attributes ?? []) {
    if (attribute.type === "mdxJsxExpressionAttribute") {
      report(node, `<${name}> cannot take {…spread} props: write each prop as name="text"`);
      continue;
    }
    const prop = attribute.name ?? "";
    if (/^on/i.test(prop)) {
      report(node, `event-handler attribute ${prop} is not allowed in articles`);
      continue;
    }
    const rule = spec.props[prop];
    if (!rule) {
      const allowed = Object.keys(spec.props);
      report(node, `<${name}> has no prop "${prop}"${allowed.length ? `; allowed: ${allowed.join(", ")}` : ""}`);
      continue;
    }
    seen.add(prop);
    if (typeof attribute.value !== "string") {
      report(node, attribute.value == null ? `<${name}> prop ${prop} needs a value: ${prop}="…"` : `<${name}> prop ${prop} must be literal text: ${prop}="…", not an expression`);
      continue;
    }
    if (rule.values && !rule.values.includes(attribute.value)) {
      report(node, `<${name}> ${prop}="${attribute.value}" is not one of: ${rule.values.join(", ")}`);
    }
    if (name === "Screenshot" && prop === "src") {
      const problem = imageProblem(attribute.value);
      if (problem) report(node, problem);
    }
    if (name === "Screenshot" && prop === "alt" && !attribute.value.trim()) report(node, `<Screenshot> alt must say what the image shows`);
  }
  for (const [prop, rule] of Object.entries(spec.props)) {
    if (rule.required && !seen.has(prop)) report(node, `<${name}> needs ${prop}="…"`);
  }
  if (spec.parent && parent?.name !== spec.parent) report(node, `<${name}> must be placed inside <${spec.parent}>`);
  if (name === "Steps") {
    for (const child of node.children ?? []) {
      if (child.type === "text" && !child.value?.trim()) continue;
      if (!(child.type === "mdxJsxFlowElement" && child.name === "Step")) {
        report(child, "<Steps> may only contain <Step title=\"…\"> elements");
      }
    }
  }
}

/** The article's words for the search index: text, code, step titles and image descriptions. */
function plainTextOf(root: MdNode): string {
  const blocks: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = current.join("").replace(/\s+/g, " ").trim();
    // Headings and step titles end without a full stop; add one so snippets read as sentences.
    if (text) blocks.push(/[.!?:…]$/.test(text) ? text : `${text}.`);
    current = [];
  };
  const visit = (node: MdNode) => {
    if (node.type === "text" || node.type === "inlineCode" || node.type === "code") current.push(node.value ?? "");
    if (node.type === "image" && node.alt) current.push(node.alt);
    if (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") {
      for (const attribute of node.attributes ?? []) {
        if (["title", "alt", "caption"].includes(attribute.name ?? "") && typeof attribute.value === "string") {
          flush();
          current.push(attribute.value);
          flush();
        }
      }
    }
    const block = ["paragraph", "heading", "listItem", "code", "blockquote", "tableCell"].includes(node.type);
    if (block) flush();
    for (const child of node.children ?? []) visit(child);
    if (block) flush();
    else if (node.type === "break") current.push(" ");
  };
  visit(root);
  flush();
  return blocks.join("\n");
}

// ---------------------------------------------------------------------------------------------
// hast: heading anchors (h2/h3 get an id and become links to themselves).

interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
  value?: string;
}

const hastText = (node: HastNode): string => (node.type === "text" ? (node.value ?? "") : (node.children ?? []).map(hastText).join(""));

function rehypeHeadingAnchors(headings: ArticleHeading[]) {
  return () => (tree: HastNode) => {
    const taken = new Set<string>();
    const visit = (node: HastNode) => {
      if (node.type === "element" && (node.tagName === "h2" || node.tagName === "h3")) {
        const text = hastText(node).replace(/\s+/g, " ").trim();
        const id = headingSlug(text, taken);
        headings.push({ id, text, level: node.tagName === "h2" ? 2 : 3 });
        node.properties = { ...node.properties, id };
        node.children = [{ type: "element", tagName: "a", properties: { href: `#${id}`, className: ["heading-anchor"] }, children: node.children ?? [] }];
        return;
      }
      for (const child of node.children ?? []) visit(child);
    };
    visit(tree);
  };
}

class ArticleRulesBroken extends Error {
  constructor(readonly problems: ArticleProblem[]) {
    super("article breaks the rules");
  }
}

// The same source always compiles to the same result: keep recent ones (imports, previews, tests).
const recentlyCompiled = new Map<string, Promise<CompileResult>>();
const RECENTLY_COMPILED_MAX = 200;

/** Checks and compiles one article file. Never throws for anything the author can cause. */
export function compileArticle(source: string): Promise<CompileResult> {
  const key = contentHash(source);
  let result = recentlyCompiled.get(key);
  if (!result) {
    result = compileUncached(source);
    recentlyCompiled.set(key, result);
    if (recentlyCompiled.size > RECENTLY_COMPILED_MAX) recentlyCompiled.delete(recentlyCompiled.keys().next().value!);
  }
  return result;
}

async function compileUncached(source: string): Promise<CompileResult> {
  const frontMatter = readFrontMatter(source);
  const parts = splitFrontMatter(source);
  const problems: ArticleProblem[] = frontMatter.ok ? [] : [...frontMatter.problems];
  if (!parts) return { ok: false, problems };

  const headings: ArticleHeading[] = [];
  let plainText = "";
  const rulesPlugin = () => (tree: MdNode) => {
    const found = checkTree(tree);
    if (found.length > 0) throw new ArticleRulesBroken(found);
    plainText = plainTextOf(tree);
  };
  let code: string;
  try {
    const output = await compile(
      { value: parts.body, path: "article.mdx" },
      { outputFormat: "function-body", development: false, remarkPlugins: [rulesPlugin], rehypePlugins: [rehypeHeadingAnchors(headings)] },
    );
    code = String(output);
  } catch (error) {
    if (error instanceof ArticleRulesBroken) problems.push(...error.problems);
    else problems.push(syntaxProblem(error));
    return { ok: false, problems: sortProblems(problems) };
  }
  if (!frontMatter.ok) return { ok: false, problems: sortProblems(problems) };

  // Safe to run: the tree above held only Markdown and allow-listed components with literal props.
  const { default: Content } = (await run(code, { ...jsxRuntime, baseUrl: import.meta.url })) as { default: ComponentType<{ components: unknown }> };
  const html = renderToStaticMarkup(createElement(Content, { components: articleComponents }));
  return {
    ok: true,
    article: { frontMatter: frontMatter.frontMatter, html, headings, plainText, contentHash: contentHash(source), rendererVersion: RENDERER_VERSION },
  };
}

function syntaxProblem(error: unknown): ArticleProblem {
  const message = error as { line?: number; column?: number; reason?: string; message?: string; place?: { line?: number; column?: number; start?: { line: number; column: number } } };
  const line = message.line ?? message.place?.start?.line ?? message.place?.line ?? 1;
  const column = message.column ?? message.place?.start?.column ?? message.place?.column;
  let reason = (message.reason ?? message.message ?? String(error)).split("\n")[0];
  if (/before name/.test(reason) && /comment/.test(reason)) reason = "HTML comments <!-- --> are not supported in articles; delete the comment";
  return { line, column, message: `MDX syntax: ${reason}` };
}

function sortProblems(problems: ArticleProblem[]): ArticleProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}

export function formatProblem(file: string, problem: ArticleProblem): string {
  return `${file}:${problem.line}${problem.column ? `:${problem.column}` : ""}: ${problem.message}`;
}
