// The editor's pure rules: the article form, writing front matter the way content/ files are
// written, the word diff between revisions, image types read from their bytes, and the order of
// the article list ("needs attention" first). No I/O; the browser bundle may import this.
import { z } from "zod";
import { DIAGNOSIS_CODES, isDiagnosisCode } from "~/lib/diagnosis-codes";
import { CATEGORY_SLUGS } from "./categories";
import { ArticleFrontMatter, SLUG_PATTERN } from "./article-rules";

// ---------------------------------------------------------------------------------------------
// The form.

const frontMatterShape = ArticleFrontMatter.shape;

/** The edit form's fields; tags are typed comma-separated, codes are checkboxes (read with getAll). */
export const ArticleForm = z.object({
  title: frontMatterShape.title,
  summary: frontMatterShape.summary,
  category: z.enum(CATEGORY_SLUGS, {
    errorMap: () => ({ message: "Choose a category." }),
  }),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .max(100, "The address is longer than 100 characters.")
    .regex(SLUG_PATTERN, "Use lower-case words joined by hyphens, like lost-pathway-invitation."),
  tags: z
    .string()
    .transform((value) => splitTags(value))
    .pipe(z.array(z.string().max(40, "A tag is longer than 40 characters.")).min(1, "Give at least one tag, the words learners use.").max(15, "Give at most 15 tags.")),
  body: z
    .string()
    .max(200_000, "The article is longer than 200,000 characters.")
    .refine((body) => body.trim().length > 0, "Write the article."),
  message: z.string().trim().max(200, "Keep the message under 200 characters.").default(""),
  baseRevisionId: z.string().default(""),
});
export type ArticleFormData = z.infer<typeof ArticleForm>;

export const splitTags = (value: string): string[] => [
  ...new Set(
    value
      .split(",")
      .map((tag) => tag.trim().replace(/\s+/g, " "))
      .filter(Boolean)
  ),
];

/** The codes ticked on the form, unknown values dropped (a forged form can't declare them). */
export const chosenCodes = (values: FormDataEntryValue[]): string[] => DIAGNOSIS_CODES.filter((code) => values.some((value) => value === code && isDiagnosisCode(value)));

/** An address for a new article from its title: "Where is my badge?" → "where-is-my-badge". */
export function slugFromTitle(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80)
      .replace(/-+$/, "") || "article"
  );
}

// ---------------------------------------------------------------------------------------------
// Front matter, written as the files in content/faq are.

export interface ArticleFields {
  title: string;
  summary: string;
  category: string;
  tags: string[];
  codes: string[];
  updated: string;
}

// A YAML plain scalar when nothing in it could be read as syntax; otherwise a double-quoted one
// (JSON's escapes are valid YAML).
const yamlText = (value: string) => JSON.stringify(value);
const yamlListItem = (value: string) => (/^[A-Za-z0-9][A-Za-z0-9 '’_-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) ? value : JSON.stringify(value));

export function articleSource(fields: ArticleFields, body: string): string {
  const lines = [
    "---",
    `title: ${yamlText(fields.title)}`,
    `summary: ${yamlText(fields.summary)}`,
    `category: ${fields.category}`,
    `tags: [${fields.tags.map(yamlListItem).join(", ")}]`,
    `codes: [${fields.codes.join(", ")}]`,
    `updated: ${fields.updated}`,
    "---",
    "",
  ];
  return `${lines.join("\n")}\n${body.replace(/\r\n/g, "\n").replace(/^\n+/, "").replace(/\s*$/, "\n")}`;
}

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/;

/** The MDX body of a whole article file (what the editor's body field holds). */
export function articleBody(source: string): string {
  const match = FRONT_MATTER.exec(source);
  return (match ? source.slice(match[0].length) : source).replace(/^\n+/, "");
}

/** The body's line numbers in the whole file: a compile problem on line L of the file is on line L - offset of the body. */
export function bodyLineOffset(source: string): number {
  const match = FRONT_MATTER.exec(source);
  if (!match) return 0;
  const rest = source.slice(match[0].length);
  const blank = rest.length - rest.replace(/^\n+/, "").length;
  return match[0].split("\n").length - 1 + blank;
}

// ---------------------------------------------------------------------------------------------
// Word diff.

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

const tokens = (text: string) => text.match(/\s+|[^\s]+/g) ?? [];
// Beyond this many cells the middle is shown as one removal and one addition (still correct).
const MAX_DIFF_CELLS = 4_000_000;

/** The words removed from `before` and added in `after`, in order; whitespace travels with words. */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], text: string) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  push("same", a.slice(0, start).join(""));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_DIFF_CELLS) {
    push("removed", midA.join(""));
    push("added", midB.join(""));
  } else {
    // Longest common subsequence, table from the end so the walk goes forwards.
    const n = midA.length;
    const m = midB.length;
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] = midA[i] === midB[j] ? table[(i + 1) * width + j + 1] + 1 : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (midA[i] === midB[j]) {
        push("same", midA[i]);
        i++;
        j++;
      } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) push("removed", midA[i++]);
      else push("added", midB[j++]);
    }
    while (i < n) push("removed", midA[i++]);
    while (j < m) push("added", midB[j++]);
  }
  push("same", a.slice(endA).join(""));
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Images.

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export type ImageType = "image/png" | "image/jpeg" | "image/webp";
export const IMAGE_EXTENSIONS: Record<ImageType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

/** The image type its first bytes say, whatever the file is called; null for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const starts = (signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

export const ImageUploadForm = z.object({
  alt: z.string().trim().min(3, "Say what the image shows, for readers who can't see it.").max(200, "Keep the description under 200 characters."),
});

export function screenshotTag({ src, alt }: { src: string; alt: string }): string {
  return `<Screenshot src="${src}" alt="${alt.replace(/"/g, "'")}" />`;
}

// ---------------------------------------------------------------------------------------------
// The article list.

export const ATTENTION_MIN_VOTES = 5;
export const ATTENTION_DAYS = 30;

export interface AttentionInput {
  title: string;
  yes: number;
  no: number;
  hasDraft?: boolean;
  openComments?: number;
}

/** The share of Yes votes, null while there are too few votes to judge. */
export function helpfulShare({ yes, no }: { yes: number; no: number }): number | null {
  return yes + no >= ATTENTION_MIN_VOTES ? yes / (yes + no) : null;
}

/** "Needs attention": a low share of Yes with enough votes first, then open comments, then by title. */
export function byNeedsAttention(a: AttentionInput, b: AttentionInput): number {
  const shareA = helpfulShare(a);
  const shareB = helpfulShare(b);
  if (shareA !== null || shareB !== null) {
    if (shareA === null) return 1;
    if (shareB === null) return -1;
    if (shareA !== shareB) return shareA - shareB;
  }
  return (b.openComments ?? 0) - (a.openComments ?? 0) || a.title.localeCompare(b.title);
}
