// Pure rules of macros (saved replies): which placeholders exist, how a macro is checked before
// it is saved, and how it is filled in for one ticket. No I/O.
import { z } from "zod";
import { cleanMultilineText, cleanSingleLineText, REPLY_MAX_LENGTH, TICKET_STATUSES } from "./ticket-rules";

export const MACRO_PLACEHOLDERS = ["requester.name", "ticket.reference", "ticket.link"] as const;
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number];

// {{ name }} with optional spaces; article placeholders are {{article:<slug>}}.
const PLACEHOLDER_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const ARTICLE_PREFIX = "article:";
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The article slugs a macro body mentions, in order, without repeats. */
export function articleSlugsIn(body: string): string[] {
  const slugs = new Set<string>();
  for (const [, name] of body.matchAll(PLACEHOLDER_PATTERN)) {
    if (name.startsWith(ARTICLE_PREFIX)) slugs.add(name.slice(ARTICLE_PREFIX.length).trim());
  }
  return [...slugs];
}

/**
 * What is wrong with a macro body's placeholders, in words, or null. `knownSlugs` are the live
 * articles: a macro must not promise the learner a page that doesn't exist.
 */
export function placeholderProblem(body: string, knownSlugs: ReadonlySet<string>): string | null {
  for (const [whole, name] of body.matchAll(PLACEHOLDER_PATTERN)) {
    if (name.startsWith(ARTICLE_PREFIX)) {
      const slug = name.slice(ARTICLE_PREFIX.length).trim();
      if (!SLUG_PATTERN.test(slug)) return `${whole} needs an article's address name, e.g. {{article:verify-an-email-address}}.`;
      if (!knownSlugs.has(slug)) return `There is no published article "${slug}" (in ${whole}).`;
      continue;
    }
    if (!(MACRO_PLACEHOLDERS as readonly string[]).includes(name)) {
      return `${whole} is not a placeholder. Use ${MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")} or {{article:<slug>}}.`;
    }
  }
  return null;
}

export interface MacroContext {
  requesterName: string;
  reference: string;
  /** Where the requester follows the ticket. */
  ticketLink: string;
  /** Live articles by slug: title and absolute address. */
  articles: ReadonlyMap<string, { title: string; url: string }>;
}

/**
 * The macro's text for one ticket. An article that was unpublished since the macro was saved
 * becomes its slug in brackets, so the agent sees it in the draft and fixes it before sending.
 */
export function fillMacro(body: string, context: MacroContext): string {
  return body.replace(PLACEHOLDER_PATTERN, (whole, name: string) => {
    if (name === "requester.name") return context.requesterName;
    if (name === "ticket.reference") return context.reference;
    if (name === "ticket.link") return context.ticketLink;
    if (name.startsWith(ARTICLE_PREFIX)) {
      const slug = name.slice(ARTICLE_PREFIX.length).trim();
      const article = context.articles.get(slug);
      return article ? `${article.title}: ${article.url}` : `[article "${slug}" is not published]`;
    }
    return whole;
  });
}

/** Text inserted into a draft: after what is already there, separated by a blank line. */
export function appendToDraft(draft: string, addition: string): string {
  const before = draft.replace(/\s+$/, "");
  return before ? `${before}\n\n${addition}` : addition;
}

export const MACRO_TITLE_MAX_LENGTH = 80;

export const MacroInput = z.object({
  title: z
    .string()
    .transform(cleanSingleLineText)
    .pipe(z.string().min(1, "Give the macro a title.").max(MACRO_TITLE_MAX_LENGTH, `Use at most ${MACRO_TITLE_MAX_LENGTH} characters.`)),
  body: z
    .string()
    .transform(cleanMultilineText)
    .pipe(z.string().min(1, "Write the reply the macro inserts.").max(REPLY_MAX_LENGTH, `Use at most ${REPLY_MAX_LENGTH.toLocaleString("en-GB")} characters.`)),
  setsStatus: z.preprocess((v) => (v === "" ? null : v), z.enum(TICKET_STATUSES).exclude(["new"]).nullable().default(null)),
});
export type MacroInput = z.infer<typeof MacroInput>;
