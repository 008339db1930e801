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
  real,
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
  },
  (t) => [index("kb_search_log_searched_idx").on(t.searchedAt), index("kb_search_log_zero_idx").on(t.resultCount, t.searchedAt)],
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("kb_feedback_article_idx").on(t.articleId, t.createdAt),
    index("kb_feedback_contact_idx").on(t.wantsContact).where(sql`${t.wantsContact} AND ${t.ticketId} IS NULL`),
    check("kb_feedback_comment_length", sql`char_length(${t.comment}) <= 2000`),
    check("kb_feedback_contact_has_email", sql`NOT ${t.wantsContact} OR ${t.contactEmail} IS NOT NULL`),
  ],
);
