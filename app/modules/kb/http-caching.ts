// Cache-Control values of the help center's responses, one reason each.

/** Anonymous public pages: anyone may store them, but must check the ETag before reuse (a publish shows at once). */
export const PUBLIC_PAGE = "public, max-age=0, must-revalidate";
/** The same pages seen by someone signed in, or with a vote on record: theirs alone, never stored. */
export const PERSONAL_PAGE = "private, no-store";
/** Search results: every search is logged, so none may be answered from a cache. */
export const SEARCH_RESULTS = "no-store";
/** The sitemap changes only with a publish; crawlers may keep it for an hour. */
export const SITEMAP = "public, max-age=3600";
