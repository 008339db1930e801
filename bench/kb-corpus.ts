// A generated help-center corpus for the knowledge-base benchmarks: N articles of about 600 words.
// Words follow a Zipf distribution over a 30,000-word vocabulary: the English words of our real
// articles first (so common help-center words stay common), then made-up words for the long tail,
// which is how a real corpus of this size looks to the index (tens of thousands of distinct words).
import fs from "node:fs";
import path from "node:path";
import type { SearchDocument } from "~/modules/kb/search-index";
import { CATEGORIES } from "~/modules/kb/categories";

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function realArticleWords(): string[] {
  const counts = new Map<string, number>();
  const root = path.resolve("content/faq");
  for (const category of fs.readdirSync(root)) {
    for (const file of fs.readdirSync(path.join(root, category))) {
      const text = fs.readFileSync(path.join(root, category, file), "utf8").toLowerCase();
      for (const word of text.match(/[a-z]{2,}/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([word]) => word);
}

export function generateCorpus(count: number, { wordsPerArticle = 600, vocabularySize = 30_000, seed = 42 } = {}): SearchDocument[] {
  const next = random(seed);
  const syllables = ["ba", "ce", "di", "fo", "gu", "ka", "le", "mi", "no", "pu", "ra", "se", "ti", "vo", "za", "bre", "cla", "dro", "fli", "gra", "pla", "str", "tro", "ven", "wil", "xan", "yor"];
  const vocabulary = realArticleWords();
  const seen = new Set(vocabulary);
  while (vocabulary.length < vocabularySize) {
    let word = "";
    const parts = 2 + Math.floor(next() * 3);
    for (let i = 0; i < parts; i++) word += syllables[Math.floor(next() * syllables.length)];
    if (!seen.has(word)) {
      seen.add(word);
      vocabulary.push(word);
    }
  }
  // Zipf (s = 1) by inverse transform over the cumulative weights.
  const cumulative = new Float64Array(vocabulary.length);
  let total = 0;
  for (let i = 0; i < vocabulary.length; i++) cumulative[i] = total += 1 / (i + 1);
  const pick = () => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return vocabulary[low];
  };
  const sentence = (words: number) => {
    const list = Array.from({ length: words }, pick);
    list[0] = list[0][0].toUpperCase() + list[0].slice(1);
    return `${list.join(" ")}.`;
  };
  return Array.from({ length: count }, (_, n) => {
    const category = CATEGORIES[n % CATEGORIES.length].slug;
    const paragraphs: string[] = [];
    let words = 0;
    while (words < wordsPerArticle) {
      const length = 8 + Math.floor(next() * 14);
      paragraphs.push(sentence(length));
      words += length;
    }
    const title = sentence(5 + Math.floor(next() * 6)).replace(/\.$/, "");
    return {
      slug: `generated-article-${n}`,
      url: `/faq/${category}/generated-article-${n}`,
      title,
      summary: sentence(18),
      category,
      tags: Array.from({ length: 4 }, () => `${pick()} ${pick()}`),
      body: paragraphs.join(" "),
    };
  });
}

/** Points this process's database at BENCH_DATABASE_URL (which is written to), or at an in-memory PGlite. */
export function useBenchDatabase(): void {
  if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  else {
    delete process.env.DATABASE_URL;
    process.env.BADGEDESK_DATA_DIR = "memory://";
  }
}
