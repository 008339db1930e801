// Which articles to put forward: the most helpful on the home page, the related ones under an article. Pure.

export interface VoteTally {
  yes: number;
  no: number;
}

/**
 * The lower bound of the Wilson score interval (95 %) for the share of "Yes" votes: 3 of 3 ranks
 * below 40 of 45, because three votes prove little.
 */
export function helpfulnessScore({ yes, no }: VoteTally): number {
  const n = yes + no;
  if (n === 0) return 0;
  const z = 1.96;
  const p = yes / n;
  return (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p) + (z * z) / (4 * n)) / n)) / (1 + (z * z) / n);
}

export function rankByHelpfulness<A extends { articleId: string; slug: string; title: string }>(
  articles: A[],
  tallies: Map<string, VoteTally>,
  { limit, fallbackSlugs = [] }: { limit: number; fallbackSlugs?: string[] },
): A[] {
  const scored = articles
    .map((article) => ({ article, score: helpfulnessScore(tallies.get(article.articleId) ?? { yes: 0, no: 0 }) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.article.title.localeCompare(b.article.title))
    .map((entry) => entry.article);
  const chosen = scored.slice(0, limit);
  // Too few votes yet: fill up with the questions learners ask most.
  for (const slug of fallbackSlugs) {
    if (chosen.length >= limit) break;
    const article = articles.find((a) => a.slug === slug);
    if (article && !chosen.includes(article)) chosen.push(article);
  }
  return chosen;
}

/** Articles answering the same diagnosis codes count most, then shared tags, then the same category. */
export function relatedArticles<A extends { slug: string; category: string; tags: string[]; codes: string[]; title: string }>(article: A, all: A[], limit = 4): A[] {
  const tags = new Set(article.tags.map((t) => t.toLowerCase()));
  const codes = new Set(article.codes);
  return all
    .filter((other) => other.slug !== article.slug)
    .map((other) => ({
      other,
      score:
        other.codes.filter((c) => codes.has(c)).length * 3 +
        other.tags.filter((t) => tags.has(t.toLowerCase())).length * 2 +
        (other.category === article.category ? 1 : 0),
    }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.other.title.localeCompare(b.other.title))
    .slice(0, limit)
    .map((entry) => entry.other);
}
