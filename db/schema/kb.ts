import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  type AnyPgColumn,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { oneOf } from "./checks";
import { tickets } from "./tickets";

// An article's identity; what it says lives in its revisions.
export const kbArticles = pgTable(
  "kb_articles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    // The file it is imported from (content/faq/<category>/<slug>.mdx); null for articles born in the editor.
    sourcePath: text("source_path"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Archived: off the site and out of search; its address redirects to the replacement, or answers 410.
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    replacementArticleId: uuid("replacement_article_id").references((): AnyPgColumn => kbArticles.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("kb_articles_slug_unique").on(t.slug)],
);
export type KbArticle = typeof kbArticles.$inferSelect;

export const REVISION_ORIGINS = ["import", "editor"] as const;

// Every version of an article, never updated in what it says. The live one is the revision with the
// latest published_at, so rolling back is publishing an older revision again.
export const kbRevisions = pgTable(
  "kb_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    origin: text("origin", { enum: REVISION_ORIGINS }).notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    category: text("category").notNull(),
    tags: jsonb("tags").$type<string[]>().notNull(),
    codes: jsonb("codes").$type<string[]>().notNull(),
    updatedOn: date("updated_on", { mode: "string" }).notNull(),
    /** The whole MDX file, front matter included, exactly as written. */
    source: text("source").notNull(),
    /** SHA-256 of `source`: an unchanged file is not imported twice. */
    contentHash: text("content_hash").notNull(),
    // The compiled output, cached per revision so no request compiles MDX. `rendererVersion`
    // says which renderer made it; an older one is recompiled on first read.
    html: text("html").notNull(),
    headings: jsonb("headings").$type<{ id: string; text: string; level: number }[]>().notNull(),
    plainText: text("plain_text").notNull(),
    rendererVersion: integer("renderer_version").notNull(),
    authorId: uuid("author_id").references(() => accounts.id),
    /** What the editor wrote about the change ("Fixed the steps for the new menu"). */
    message: text("message").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("kb_revisions_article_number_unique").on(t.articleId, t.number),
    index("kb_revisions_live_idx").on(t.articleId, t.publishedAt),
    index("kb_revisions_author_idx").on(t.authorId),
    check("kb_revisions_origin_known", oneOf(t.origin, REVISION_ORIGINS)),
  ],
);
export type KbRevision = typeof kbRevisions.$inferSelect;

// An article's former addresses: a slug change keeps the old address answering with a 301.
export const kbSlugRedirects = pgTable("kb_slug_redirects", {
  oldSlug: text("old_slug").primaryKey(),
  articleId: uuid("article_id")
    .notNull()
    .references(() => kbArticles.id, { onDelete: "cascade" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

// Screenshots uploaded in the editor, kept in the database so instances stay stateless. Addressed
// by the SHA-256 of their bytes: the same picture uploaded twice is one row, and its address never
// changes what it shows, so it can be cached for a year.
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export const kbImages = pgTable(
  "kb_images",
  {
    hash: text("hash").primaryKey(),
    contentType: text("content_type", { enum: IMAGE_TYPES }).notNull(),
    /** Base64 of the bytes (text, like the search index: both drivers read it fast). */
    data: text("data").notNull(),
    byteSize: integer("byte_size").notNull(),
    alt: text("alt").notNull(),
    uploadedBy: uuid("uploaded_by").references(() => accounts.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("kb_images_type_known", oneOf(t.contentType, IMAGE_TYPES)), check("kb_images_size", sql`${t.byteSize} <= 2097152`)],
);

// Page views per article and day, counted in memory and added in batches.
export const kbArticleViews = pgTable(
  "kb_article_views",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    views: integer("views").notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.day] })],
);

// One row: a counter bumped in the transaction of every publish. Page caches and search indexes are
// keyed by it, so every app instance notices a change with one cheap read.
export const kbContentState = pgTable(
  "kb_content_state",
  {
    id: smallint("id").primaryKey().default(1),
    version: bigint("version", { mode: "number" }).notNull(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("kb_content_state_single_row", sql`${t.id} = 1`)],
);

// The search index built from the published revisions of one content version, ready to load.
// Text columns, not bytea: both drivers read megabytes of text many times faster.
export const kbSearchIndexes = pgTable("kb_search_indexes", {
  contentVersion: bigint("content_version", { mode: "number" }).primaryKey(),
  format: integer("format").notNull(),
  /** JSON: fields, article list, vocabulary. */
  header: text("header").notNull(),
  /** Base64 of the postings (term frequencies, field lengths) and vocabulary maps. */
  postings: text("postings").notNull(),
  /** The articles' plain text, for snippets. */
  texts: text("texts").notNull(),
  documentCount: integer("document_count").notNull(),
  buildMs: integer("build_ms").notNull(),
  builtAt: timestamp("built_at", { withTimezone: true }).notNull().defaultNow(),
});

// Every search, for the editors' "searches that find nothing" report. No IP, no account.
export const kbSearchLog = pgTable(
  "kb_search_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    searchedAt: timestamp("searched_at", { withTimezone: true }).notNull().defaultNow(),
    /** Lower-cased, trimmed, inner whitespace collapsed, at most 200 characters. */
    query: text("query").notNull(),
    resultCount: integer("result_count").notNull(),
    durationMs: real("duration_ms").notNull(),
    /** "page" for /search, "api" for /api/search (instant search, the ticket form). */
    surface: text("surface").notNull(),
    /** The browser's id for one search (a burst of typing): a result opened later marks the row. Random, not a person. */
    searchKey: text("search_key"),
    /** Whether a result of this search was opened. */
    opened: boolean("opened").notNull().default(false),
  },
  (t) => [
    index("kb_search_log_searched_idx").on(t.searchedAt),
    index("kb_search_log_zero_idx").on(t.resultCount, t.searchedAt),
    index("kb_search_log_key_idx").on(t.searchKey).where(sql`${t.searchKey} IS NOT NULL`),
  ],
);

// One vote per visitor per article: a changed mind updates the row, it never adds one.
export const kbVotes = pgTable(
  "kb_votes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    /** "visitor:<cookie id>" or "account:<account id>". */
    voterKey: text("voter_key").notNull(),
    helpful: boolean("helpful").notNull(),
    revisionId: uuid("revision_id").references(() => kbRevisions.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("kb_votes_one_per_voter").on(t.articleId, t.voterKey)],
);

// "Help us improve this article": what was missing, and whether the reader wants a reply.
export const kbFeedback = pgTable(
  "kb_feedback",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    revisionId: uuid("revision_id").references(() => kbRevisions.id, { onDelete: "set null" }),
    voterKey: text("voter_key").notNull(),
    comment: text("comment").notNull(),
    contactEmail: text("contact_email"),
    wantsContact: boolean("wants_contact").notNull().default(false),
    /** The ticket opened for a "contact me" request, once the tickets context has opened one. */
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    /** An editor dealt with the comment (the insights page stops listing it as open). */
    handledAt: timestamp("handled_at", { withTimezone: true }),
    handledBy: uuid("handled_by").references(() => accounts.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("kb_feedback_article_idx").on(t.articleId, t.createdAt),
    index("kb_feedback_contact_idx").on(t.wantsContact).where(sql`${t.wantsContact} AND ${t.ticketId} IS NULL`),
    check("kb_feedback_comment_length", sql`char_length(${t.comment}) <= 2000`),
    check("kb_feedback_contact_has_email", sql`NOT ${t.wantsContact} OR ${t.contactEmail} IS NOT NULL`),
  ],
);
