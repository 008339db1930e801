-- Every app instance reads a stored search index whole when the content changes. Uncompressed
-- out-of-line storage: pglz decompression was half of that read (about 110 ms of 200 at 2,000 articles).
ALTER TABLE "kb_search_indexes" ALTER COLUMN "header" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "kb_search_indexes" ALTER COLUMN "postings" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "kb_search_indexes" ALTER COLUMN "texts" SET STORAGE EXTERNAL;
