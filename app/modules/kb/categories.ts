// The help center's categories: the folder names under content/faq/, in the order the home page shows them.
export const CATEGORIES = [
  {
    slug: "backpack-and-badges",
    name: "Backpack & badges",
    description: "Badges that are missing, vanished, expired or never arrived, and how to get them back.",
  },
  {
    slug: "account-and-email",
    name: "Account & email",
    description: "Signing in, adding and verifying email addresses, changing your primary address, merging and deleting accounts.",
  },
  {
    slug: "pathways",
    name: "Pathways",
    description: "Pathway invitations and progress.",
  },
  {
    slug: "verifying-and-sharing",
    name: "Verifying & sharing",
    description: "Sharing badges and collections, and how employers check that a badge is genuine.",
  },
  {
    slug: "for-issuers",
    name: "For issuers",
    description: "Awarding, correcting and revoking badges, staff roles and notifications.",
  },
] as const;

export type CategorySlug = (typeof CATEGORIES)[number]["slug"];
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_SLUGS = CATEGORIES.map((c) => c.slug) as [CategorySlug, ...CategorySlug[]];

export function findCategory(slug: string): Category | null {
  return CATEGORIES.find((c) => c.slug === slug) ?? null;
}

export function articleUrl(article: { category: string; slug: string }): string {
  return `/faq/${article.category}/${article.slug}`;
}

const ARTICLE_PATH = /^\/faq\/([a-z0-9-]{1,100})\/[a-z0-9-]{1,100}$/;

/** Whether a value is an article's address on this site (/faq/<known category>/<slug>): a safe place to send a reader. */
export function isArticlePath(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const match = ARTICLE_PATH.exec(value);
  return match !== null && findCategory(match[1]) !== null;
}
