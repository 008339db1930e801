// Which articles to put forward: the most helpful on the home page, the related ones under an article. Pure.
import { termOf } from "./search-index";
import { tokenize } from "./search-text";

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

/**
 * Articles answering the same diagnosis codes count most, then the words their tags share, then
 * the same category. Tags are compared word by word (stemmed, as search does), so "change email"
 * meets "change primary"; a word in the tags of a third or more of all articles ("badge", "email")
 * says nothing about kinship and is left out.
 */
const isForIssuers = (article: { category: string }) => article.category === "for-issuers";

export function relatedArticles<A extends { slug: string; category: string; tags: string[]; codes: string[]; title: string }>(article: A, all: A[], limit = 4): A[] {
  const wordsOf = (a: A) => new Set(a.tags.flatMap((tag) => tokenize(tag).map((t) => termOf(t.word)).filter((term): term is string => term !== null)));
  const tagWords = new Map(all.map((a) => [a.slug, wordsOf(a)]));
  const spread = new Map<string, number>();
  for (const words of tagWords.values()) for (const word of words) spread.set(word, (spread.get(word) ?? 0) + 1);
  const telling = (word: string) => (spread.get(word) ?? 0) < Math.max(3, all.length / 3);
  const mine = tagWords.get(article.slug) ?? wordsOf(article);
  const codes = new Set(article.codes);
  return all
    .filter((other) => other.slug !== article.slug)
    .map((other) => ({
      other,
      score:
        (other.codes.filter((c) => codes.has(c)).length * 3 +
          [...(tagWords.get(other.slug) ?? [])].filter((word) => mine.has(word) && telling(word)).length * 2 +
          (other.category === article.category ? 1 : 0)) *
        // Issuers' articles are for another reader: they come after a learner's, and the other way round.
        (isForIssuers(other) === isForIssuers(article) ? 1 : 0.5),
    }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.other.title.localeCompare(b.other.title))
    .slice(0, limit)
    .map((entry) => entry.other);
}
