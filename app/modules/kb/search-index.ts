// The help center's search index: lunr's model (lunr's English stop words and stemmer make the
// terms; each term of each field of each article weighs exactly what lunr.Builder gives it, BM25
// with the title boosted), stored compactly (3 bytes a posting, the vocabulary, the article texts
// for snippets) so that it builds in about a second and loads in tens of milliseconds at 2,000
// articles. Searching reproduces lunr's vector-space score (the query vector · each field vector)
// by walking the postings of the query's terms only, and adds what a help center needs: prefix
// matching for search as you type, typo tolerance, snippets with the matched words marked.
// Queries never go through lunr's query parser, so no character a user types has a meaning.
// Pure: no I/O.
import lunr from "lunr";
import { boundedEditDistance } from "~/lib/edit-distance";
import { bitCount, letterSignature, normalizeSearchText, tokenize, type TextToken } from "./search-text";

export const INDEX_FORMAT = 2;

export interface SearchDocument {
  /** The revision the text comes from: instances keep texts by revision across content versions. */
  revisionId?: string;
  slug: string;
  url: string;
  title: string;
  summary: string;
  category: string;
  tags: string[];
  /** The article's plain text. */
  body: string;
}

export interface SearchResult {
  slug: string;
  url: string;
  title: string;
  summary: string;
  /** Plain text from the article around the matched words (never HTML). */
  snippet: string;
  /** [start, end) character ranges of `snippet` that matched the query. */
  highlights: [number, number][];
  score: number;
}

export interface SearchOutcome {
  results: SearchResult[];
  /** How many articles match in all (past `offset` and `limit`): a count, not the length of this page. */
  total: number;
  /** Words we could not find and what we searched for instead ("verfication" → "verification"). */
  corrections: { from: string; to: string }[];
}

const FIELDS = ["title", "tags", "summary", "body"] as const;
/** Title words count most; tags were written as the words learners use. */
export const FIELD_BOOSTS: Record<(typeof FIELDS)[number], number> = { title: 8, tags: 4, summary: 3, body: 1 };

// A word the user is still typing matches the words it starts; those count less than a whole word.
const PREFIX_BOOST = 0.45;
const MAX_PREFIX_EXPANSIONS = 12;
// A word found nowhere is read as a typo of the closest known words.
const TYPO_BOOST = [1, 0.8, 0.5];
const MAX_TYPO_CANDIDATES = 3;
const MAX_QUERY_TOKENS = 16;
const SNIPPET_CHARS = 220;
const MIN_RELATIVE_SCORE = 0.1;

// ---------------------------------------------------------------------------------------------
// lunr's English pipeline, with the stemmer remembered per word (the same words recur endlessly).

const termCache = new Map<string, string | null>();

/** The index term for a word: null for an English stop word, its stem otherwise. */
/**
 * What a search reads of a query: its words (at most MAX_QUERY_TOKENS) and whether the last one is
 * still being typed (the query doesn't end in a space or punctuation).
 */
function readQuery(query: string): { tokens: TextToken[]; typingLastWord: boolean } {
  const text = normalizeSearchText(query);
  const tokens = tokenize(text).slice(0, MAX_QUERY_TOKENS);
  return { tokens, typingLastWord: tokens.length > 0 && tokens[tokens.length - 1].end === text.length };
}

/**
 * Two queries with the same key get the same results (and snippets): the search reads nothing of
 * a query but its words and whether the last one is still being typed. So "Badge  not" and
 * "badge not" share one cached answer, and "badge not " (a finished word) has its own.
 */
export function searchQueryKey(query: string): string {
  const { tokens, typingLastWord } = readQuery(query);
  return `${tokens.map((t) => t.word).join(" ")}${typingLastWord ? "…" : "."}`;
}

export function termOf(word: string): string | null {
  let term = termCache.get(word);
  if (term === undefined) {
    const token = new lunr.Token(word, {});
    term = lunr.stopWordFilter(token) === undefined ? null : (lunr.stemmer(token) as lunr.Token).toString();
    if (termCache.size > 200_000) termCache.clear();
    termCache.set(word, term);
  }
  return term;
}

// ---------------------------------------------------------------------------------------------
// Building.

// lunr's BM25 constants (lunr.Builder's defaults).
const K1 = 1.2;
const B = 0.75;

/** A document's words as the index counts them: per field its terms (as ids of DocumentAnalyses.terms) with their counts and its length, and its distinct words. */
export interface DocumentAnalysis {
  fields: { termIds: Uint32Array; counts: Uint32Array; length: number }[];
  surfaceWords: string[];
  bodyLength: number;
}
/**
 * Analyses kept by revision id across builds (an instance's memory; see buildSearchIndex), with
 * the terms they name by number, so a build maps numbers instead of hashing a million strings.
 */
export interface DocumentAnalyses {
  byRevision: Map<string, DocumentAnalysis>;
  termIds: Map<string, number>;
  terms: string[];
}
export const newDocumentAnalyses = (): DocumentAnalyses => ({ byRevision: new Map(), termIds: new Map(), terms: [] });

function analyzeDocument(document: SearchDocument, analyses: DocumentAnalyses, termOfWord: Map<string, string | null>): DocumentAnalysis {
  const values = [document.title, document.tags.join(" , "), document.summary, document.body];
  const surface = new Set<string>();
  const fields = values.map((value) => {
    const counts = new Map<number, number>();
    let length = 0;
    for (const token of tokenize(value)) {
      let term = termOfWord.get(token.word);
      if (term === undefined) {
        term = termOf(token.word);
        termOfWord.set(token.word, term);
      }
      surface.add(token.word);
      if (term === null) continue;
      let id = analyses.termIds.get(term);
      if (id === undefined) {
        id = analyses.terms.length;
        analyses.termIds.set(term, id);
        analyses.terms.push(term);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
      length++;
    }
    return { termIds: Uint32Array.from(counts.keys()), counts: Uint32Array.from(counts.values()), length };
  });
  return { fields, surfaceWords: [...surface], bodyLength: document.body.length };
}

/**
 * Builds the index with exactly lunr.Builder's weights: lunr's English pipeline makes the terms,
 * and each (term, field, document) gets lunr's BM25 score with lunr.idf, the field boost and lunr's
 * 3-decimal rounding (tests/unit/kb-search-index.test.ts compares every weight with lunr's own
 * field vectors). lunr.Builder itself keeps one JavaScript object per posting, which took 10 s for
 * 2,000 articles here; flat arrays take a fraction of that.
 */
export function buildSearchIndex(documents: SearchDocument[], analyses: DocumentAnalyses = newDocumentAnalyses()): StoredSearchIndex {
  const fieldCount = FIELDS.length;
  const fieldLengths = new Uint32Array(documents.length * fieldCount);
  // A revision's words never change: one analysed for an earlier build is reused (a publish
  // changes one article of thousands; tokenising them all again was most of its time).
  const termOfWord = new Map<string, string | null>();
  const used = new Set<string>();
  const analysed = documents.map((document) => {
    const cached = document.revisionId ? analyses.byRevision.get(document.revisionId) : undefined;
    const analysis = cached && cached.bodyLength === document.body.length ? cached : analyzeDocument(document, analyses, termOfWord);
    if (document.revisionId) {
      analyses.byRevision.set(document.revisionId, analysis);
      used.add(document.revisionId);
    }
    return analysis;
  });
  // Revisions no longer published are forgotten.
  for (const revision of analyses.byRevision.keys()) if (!used.has(revision)) analyses.byRevision.delete(revision);

  const surfaceWords = new Set<string>();
  // This build's term ids, in order of first use, from the kept analyses' numbers.
  const termNames: string[] = [];
  const localId = new Int32Array(analyses.terms.length).fill(-1);
  // One entry per distinct (document, field, term): what the field vectors are made of.
  let entries = 0;
  for (const analysis of analysed) for (const field of analysis.fields) entries += field.termIds.length;
  const entryTerm = new Uint32Array(entries);
  const entryFrequency = new Uint32Array(entries);
  const entrySlot = new Uint32Array(entries);
  let e = 0;
  analysed.forEach((analysis, doc) => {
    for (const word of analysis.surfaceWords) surfaceWords.add(word);
    for (let field = 0; field < fieldCount; field++) {
      const { termIds, counts, length } = analysis.fields[field];
      const slot = doc * fieldCount + field;
      fieldLengths[slot] = length;
      for (let i = 0; i < termIds.length; i++) {
        let id = localId[termIds[i]];
        if (id < 0) {
          id = localId[termIds[i]] = termNames.length;
          termNames.push(analyses.terms[termIds[i]]);
        }
        entryTerm[e] = id;
        entryFrequency[e] = counts[i];
        entrySlot[e++] = slot;
      }
    }
  });
  const termIds = new Map(termNames.map((term, id) => [term, id]));

  const documentCount = documents.length;
  const averageLength = FIELDS.map((_, field) => {
    let sum = 0;
    for (let doc = 0; doc < documentCount; doc++) sum += fieldLengths[doc * fieldCount + field];
    return documentCount ? sum / documentCount : 0;
  });
  const terms = [...termNames].sort();
  const sortedId = new Uint32Array(termNames.length);
  terms.forEach((term, id) => (sortedId[termIds.get(term)!] = id));

  // Postings grouped by (term, field), documents ascending (entries were made in document order).
  const postingOffsets = new Uint32Array(terms.length * fieldCount + 1);
  for (let e = 0; e < entryTerm.length; e++) postingOffsets[sortedId[entryTerm[e]] * fieldCount + (entrySlot[e] % fieldCount) + 1]++;
  for (let slot = 0; slot < terms.length * fieldCount; slot++) postingOffsets[slot + 1] += postingOffsets[slot];
  // The weights are not stored: term frequency and field length are (3 bytes a posting instead of
  // 8), and loading turns them into lunr's BM25 weights (see SearchIndex.weight).
  const wideDocs = documentCount > 0xffff;
  const postingDocs = wideDocs ? new Uint32Array(entryTerm.length) : new Uint16Array(entryTerm.length);
  const postingFrequencies = new Uint8Array(entryTerm.length);
  const fill = postingOffsets.slice();
  for (let e = 0; e < entryTerm.length; e++) {
    const field = entrySlot[e] % fieldCount;
    const at = fill[sortedId[entryTerm[e]] * fieldCount + field]++;
    postingDocs[at] = (entrySlot[e] - field) / fieldCount;
    postingFrequencies[at] = Math.min(entryFrequency[e], 255);
  }
  const storedFieldLengths = new Uint16Array(fieldLengths.length);
  fieldLengths.forEach((length, i) => (storedFieldLengths[i] = Math.min(length, 0xffff)));

  const termDocFrequency = new Uint32Array(terms.length);
  const lastSeen = new Int32Array(documentCount).fill(-1);
  for (let termId = 0; termId < terms.length; termId++) {
    for (let p = postingOffsets[termId * fieldCount]; p < postingOffsets[(termId + 1) * fieldCount]; p++) {
      if (lastSeen[postingDocs[p]] !== termId) {
        lastSeen[postingDocs[p]] = termId;
        termDocFrequency[termId]++;
      }
    }
  }

  const surface = [...surfaceWords].sort();
  const surfaceTerm = new Int32Array(surface.length);
  surface.forEach((word, i) => {
    const term = termOf(word);
    surfaceTerm[i] = term === null ? -1 : binarySearch(terms, term);
  });

  const binary = packSections([postingOffsets, postingDocs, postingFrequencies, storedFieldLengths, termDocFrequency, surfaceTerm]);
  const header: IndexHeader = {
    format: INDEX_FORMAT,
    fields: [...FIELDS],
    averageLength,
    wideDocs,
    docs: documents.map((d) => [d.slug, d.url, d.title, d.summary, d.category, d.revisionId ?? ""]),
    terms,
    surface,
  };
  return {
    header: JSON.stringify(header),
    postings: Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString("base64"),
    texts: documents.map((d) => d.body.replace(/[\u0000\u001e]/g, " ")).join(TEXT_SEPARATOR),
  };
}

/**
 * What is stored in the database: text columns, because both drivers move text far faster than
 * bytea (a 15 MB bytea took seconds to read on PGlite). The article texts (for snippets) are
 * plain text; the postings a base64 binary.
 */
export interface StoredSearchIndex {
  header: string;
  postings: string;
  texts: string;
}

interface IndexHeader {
  format: number;
  fields: string[];
  averageLength: number[];
  wideDocs: boolean;
  /** slug, url, title, summary, category, revision id */
  docs: [string, string, string, string, string, string][];
  terms: string[];
  surface: string[];
}

const TEXT_SEPARATOR = "\u001e";

// Sections, each length-prefixed and starting on a 4-byte boundary so typed arrays can view them.
function packSections(sections: ArrayBufferView[]): Uint8Array {
  const parts = sections.map((s) => new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
  const padded = (n: number) => (n + 3) & ~3;
  const out = new Uint8Array(parts.reduce((sum, part) => sum + 4 + padded(part.byteLength), 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const part of parts) {
    view.setUint32(at, part.byteLength, true);
    out.set(part, at + 4);
    at += 4 + padded(part.byteLength);
  }
  return out;
}

function unpackSections(base64: string): Uint8Array[] {
  let bytes: Uint8Array = Buffer.from(base64, "base64");
  // Typed-array views need 4-byte alignment; small buffers may sit anywhere in Node's pool.
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const length = view.getUint32(at, true);
    parts.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + ((length + 3) & ~3);
  }
  return parts;
}

function binarySearch(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const here = sorted[mid];
    if (here === value) return mid;
    if (here < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** The first index whose word is >= value. */
function lowerBound(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

// ---------------------------------------------------------------------------------------------
// Loading and searching.


export class SearchIndex {
  readonly documentCount: number;
  private readonly docs: IndexHeader["docs"];
  private readonly terms: string[];
  private readonly surface: string[];
  private readonly texts: string[];
  private readonly postingOffsets: Uint32Array;
  private readonly postingDocs: Uint16Array | Uint32Array;
  private readonly postingFrequencies: Uint8Array;
  private readonly termDocFrequency: Uint32Array;
  private readonly surfaceTerm: Int32Array;
  private readonly fieldCount: number;
  private readonly fieldBoosts: number[];
  // lunr's BM25 parts: idf per term (lunr.idf), and k1·(1 − b + b·length/average) per field of a document.
  private readonly idf: Float64Array;
  private readonly lengthNorm: Float64Array;
  // Surface words grouped by length (for typo search), and term → its surface words (for highlights).
  private readonly surfaceByLength: number[][] = [];
  private readonly surfaceSignature: Int32Array;
  private readonly termSurfaceOffsets: Uint32Array;
  private readonly termSurfaceWords: Uint32Array;
  private readonly scores: Float64Array;

  /** `texts`: each article's text in document order, from the stored index or kept from an earlier one. */
  constructor(header: IndexHeader, postings: string, texts: string[]) {
    if (header.format !== INDEX_FORMAT) throw new Error(`search index format ${header.format} is not ${INDEX_FORMAT}`);
    const sections = unpackSections(postings);
    this.docs = header.docs;
    this.terms = header.terms;
    this.surface = header.surface;
    this.texts = texts;
    this.fieldCount = header.fields.length;
    this.fieldBoosts = header.fields.map((field) => FIELD_BOOSTS[field as (typeof FIELDS)[number]] ?? 1);
    this.documentCount = header.docs.length;
    const view = <T>(Kind: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, section: Uint8Array) =>
      new Kind(section.buffer, section.byteOffset, section.byteLength / Kind.BYTES_PER_ELEMENT);
    this.postingOffsets = view(Uint32Array, sections[0]);
    this.postingDocs = header.wideDocs ? view(Uint32Array, sections[1]) : view(Uint16Array, sections[1]);
    this.postingFrequencies = sections[2];
    const fieldLengths = view(Uint16Array, sections[3]);
    this.termDocFrequency = view(Uint32Array, sections[4]);
    this.surfaceTerm = view(Int32Array, sections[5]);
    this.scores = new Float64Array(this.documentCount);

    this.idf = new Float64Array(this.terms.length);
    for (let t = 0; t < this.terms.length; t++) {
      // lunr.idf counts a document once for each field the term appears in.
      const n = this.postingOffsets[(t + 1) * this.fieldCount] - this.postingOffsets[t * this.fieldCount];
      this.idf[t] = Math.log(1 + Math.abs((this.documentCount - n + 0.5) / (n + 0.5)));
    }
    this.lengthNorm = new Float64Array(fieldLengths.length);
    for (let i = 0; i < fieldLengths.length; i++) {
      const average = header.averageLength[i % this.fieldCount];
      this.lengthNorm[i] = K1 * (1 - B + B * (average ? fieldLengths[i] / average : 0));
    }

    const counts = new Uint32Array(this.terms.length + 1);
    this.surfaceSignature = new Int32Array(this.surface.length);
    for (let i = 0; i < this.surface.length; i++) {
      this.surfaceSignature[i] = letterSignature(this.surface[i]);
      const length = this.surface[i].length;
      (this.surfaceByLength[length] ??= []).push(i);
      const term = this.surfaceTerm[i];
      if (term >= 0) counts[term + 1]++;
    }
    for (let t = 0; t < this.terms.length; t++) counts[t + 1] += counts[t];
    this.termSurfaceOffsets = counts;
    this.termSurfaceWords = new Uint32Array(counts[this.terms.length]);
    const fill = counts.slice();
    for (let i = 0; i < this.surface.length; i++) {
      const term = this.surfaceTerm[i];
      if (term >= 0) this.termSurfaceWords[fill[term]++] = i;
    }
  }

  /** lunr.Builder's weight of a posting: BM25 × field boost, rounded to 3 decimals as lunr does. */
  private weight(termId: number, field: number, posting: number): number {
    const tf = this.postingFrequencies[posting];
    const score = (this.idf[termId] * ((K1 + 1) * tf)) / (this.lengthNorm[this.postingDocs[posting] * this.fieldCount + field] + tf);
    return Math.round(score * this.fieldBoosts[field] * 1000) / 1000;
  }

  /** Every (field, document, weight) of a term, for tests that compare with lunr. */
  postingsOf(term: string): { field: string; doc: number; weight: number }[] {
    const termId = binarySearch(this.terms, term);
    if (termId < 0) return [];
    const out: { field: string; doc: number; weight: number }[] = [];
    for (let field = 0; field < this.fieldCount; field++) {
      const slot = termId * this.fieldCount + field;
      for (let p = this.postingOffsets[slot]; p < this.postingOffsets[slot + 1]; p++) {
        out.push({ field: FIELDS[field], doc: this.postingDocs[p], weight: this.weight(termId, field, p) });
      }
    }
    return out;
  }

  search(query: string, { limit = 10, offset = 0 }: { limit?: number; offset?: number } = {}): SearchOutcome {
    const { tokens, typingLastWord } = readQuery(query);
    const boosts = new Map<number, number>();
    const add = (termId: number, boost: number) => boosts.set(termId, (boosts.get(termId) ?? 0) + boost);
    const corrections: SearchOutcome["corrections"] = [];

    // A stop word after real words usually ends a phrase ("log in", "sign in"), so it isn't read as
    // the start of a longer word: "I can't log in" must not search for "invitation".
    const endsPhrase = (word: string) => termOf(word) === null && tokens.some((t) => termOf(t.word) !== null);
    tokens.forEach((token, i) => {
      const word = token.word;
      const term = termOf(word);
      const stop = term === null;
      const termId = stop ? -1 : binarySearch(this.terms, term);
      if (termId >= 0) add(termId, 1);
      let expanded = false;
      if (i === tokens.length - 1 && typingLastWord && word.length >= 2 && !endsPhrase(word)) expanded = this.expandPrefix(word, termId, add);
      if (termId < 0 && !expanded && !stop && word.length >= 4 && !/^\d+$/.test(word)) {
        const fixed = this.correctTypo(word, add);
        if (fixed) corrections.push({ from: word, to: fixed });
      }
    });
    if (boosts.size === 0) return { results: [], total: 0, corrections };

    const { scores, postingOffsets, postingDocs, postingFrequencies, lengthNorm, fieldCount, fieldBoosts } = this;
    const touched: number[] = [];
    let queryMagnitude = 0;
    for (const [termId, boost] of boosts) {
      queryMagnitude += boost * boost;
      const idf = this.idf[termId];
      for (let field = 0; field < fieldCount; field++) {
        const slot = termId * fieldCount + field;
        const fieldBoost = fieldBoosts[field] * 1000;
        for (let p = postingOffsets[slot], to = postingOffsets[slot + 1]; p < to; p++) {
          const doc = postingDocs[p];
          const tf = postingFrequencies[p];
          // Inlined weight(): the query's inner loop.
          const weight = Math.round(((idf * ((K1 + 1) * tf)) / (lengthNorm[doc * fieldCount + field] + tf)) * fieldBoost) / 1000;
          if (scores[doc] === 0) touched.push(doc);
          scores[doc] += boost * weight;
        }
      }
    }
    queryMagnitude = Math.sqrt(queryMagnitude);
    const from = Math.max(0, offset);
    const ranked = topDocuments(touched, scores, from + Math.max(0, limit));
    // Articles that matched only faintly (a tenth of the best) are noise under a good answer.
    const floor = ranked.length > 0 ? scores[ranked[0]] * MIN_RELATIVE_SCORE : 0;
    while (ranked.length > 1 && scores[ranked[ranked.length - 1]] < floor) ranked.pop();
    let total = 0;
    for (const doc of touched) if (scores[doc] >= floor) total++;
    const top = ranked.slice(from).map((doc) => ({ doc, score: scores[doc] / queryMagnitude }));
    for (const doc of touched) scores[doc] = 0;

    const pattern = wordsPattern(this.surfaceWordsOf([...boosts.keys()]));
    const results = top.map(({ doc, score }) => {
      const [slug, url, title, summary] = this.docs[doc];
      const { snippet, highlights } = this.snippetFor(doc, pattern);
      return { slug, url, title, summary, snippet, highlights, score: Math.round(score * 1000) / 1000 };
    });
    return { results, total, corrections };
  }

  private expandPrefix(prefix: string, exactTermId: number, add: (termId: number, boost: number) => void): boolean {
    const candidates = new Map<number, number>();
    for (let i = lowerBound(this.surface, prefix); i < this.surface.length && this.surface[i].startsWith(prefix); i++) {
      const termId = this.surfaceTerm[i];
      if (termId >= 0 && termId !== exactTermId) candidates.set(termId, this.termDocFrequency[termId]);
    }
    if (candidates.size === 0) return exactTermId >= 0;
    // The most widespread completions are the likeliest; a two-letter prefix could mean hundreds,
    // so the shorter the prefix, the fewer completions are searched.
    const chosen = [...candidates].sort((a, b) => b[1] - a[1]).slice(0, prefix.length <= 2 ? 4 : prefix.length === 3 ? 8 : MAX_PREFIX_EXPANSIONS);
    for (const [termId] of chosen) add(termId, PREFIX_BOOST);
    return true;
  }

  private correctTypo(word: string, add: (termId: number, boost: number) => void): string | null {
    // One slip in a word of 4 to 7 letters, two in a longer one.
    const maxEdits = word.length >= 8 ? 2 : 1;
    const found: { surface: number; distance: number; df: number }[] = [];
    const signature = letterSignature(word);
    for (let length = word.length - maxEdits; length <= word.length + maxEdits; length++) {
      for (const i of this.surfaceByLength[length] ?? []) {
        const termId = this.surfaceTerm[i];
        if (termId < 0 || bitCount(signature ^ this.surfaceSignature[i]) > 2 * maxEdits) continue;
        const distance = boundedEditDistance(word, this.surface[i], maxEdits);
        if (distance <= maxEdits) found.push({ surface: i, distance, df: this.termDocFrequency[termId] });
      }
    }
    if (found.length === 0) return null;
    found.sort((a, b) => a.distance - b.distance || b.df - a.df);
    const terms = new Set<number>();
    for (const candidate of found) {
      const termId = this.surfaceTerm[candidate.surface];
      if (terms.has(termId)) continue;
      terms.add(termId);
      add(termId, TYPO_BOOST[candidate.distance]);
      if (terms.size >= MAX_TYPO_CANDIDATES) break;
    }
    return this.surface[found[0].surface];
  }

  private surfaceWordsOf(termIds: number[]): Set<string> {
    const words = new Set<string>();
    for (const termId of termIds) {
      for (let k = this.termSurfaceOffsets[termId]; k < this.termSurfaceOffsets[termId + 1]; k++) words.add(this.surface[this.termSurfaceWords[k]]);
    }
    return words;
  }

  /** The stretch of the article with the most distinct matched words, those words marked. */
  private snippetFor(doc: number, pattern: RegExp | null): { snippet: string; highlights: [number, number][] } {
    const text = this.texts[doc] ?? "";
    const matches: { start: number; end: number; word: string }[] = [];
    if (pattern) {
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
        matches.push({ start: match.index, end: match.index + match[0].length, word: match[0].toLowerCase() });
      }
    }
    // Slide a window of SNIPPET_CHARS over the matches; keep the one with most distinct words.
    let best = { first: 0, last: -1, distinct: 0, count: 0 };
    const inWindow = new Map<string, number>();
    for (let first = 0, last = 0; last < matches.length; last++) {
      inWindow.set(matches[last].word, (inWindow.get(matches[last].word) ?? 0) + 1);
      while (matches[last].end - matches[first].start > SNIPPET_CHARS - 40) {
        const left = inWindow.get(matches[first].word)! - 1;
        if (left === 0) inWindow.delete(matches[first].word);
        else inWindow.set(matches[first].word, left);
        first++;
      }
      const count = last - first + 1;
      if (inWindow.size > best.distinct || (inWindow.size === best.distinct && count > best.count)) best = { first, last, distinct: inWindow.size, count };
    }
    let start = 0;
    if (best.last >= 0) {
      // Begin at the sentence holding the first match when it is near, else a few words before it.
      const firstMatch = matches[best.first].start;
      const sentence = Math.max(text.lastIndexOf(". ", firstMatch), text.lastIndexOf("\n", firstMatch));
      start = sentence >= 0 && firstMatch - sentence <= 70 ? sentence + (text[sentence] === "\n" ? 1 : 2) : firstMatch <= 40 ? 0 : text.indexOf(" ", firstMatch - 40) + 1;
    }
    let end = Math.min(text.length, start + SNIPPET_CHARS);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      if (space > start) end = space;
    }
    const prefix = start > 0 ? "… " : "";
    const body = text.slice(start, end).replace(/\s/g, " ").replace(/[,;:]$/, "");
    const suffix = end < text.length && !/[.!?]$/.test(body) ? " …" : "";
    const highlights: [number, number][] = [];
    for (const match of matches) {
      if (match.start >= start && match.end <= start + body.length) highlights.push([prefix.length + match.start - start, prefix.length + match.end - start]);
    }
    return { snippet: prefix + body + suffix, highlights };
  }
}

/** The `limit` best documents, best first (ties: earlier document first), without sorting them all. */
function topDocuments(touched: number[], scores: Float64Array, limit: number): number[] {
  const top: number[] = [];
  const better = (a: number, b: number) => scores[a] > scores[b] || (scores[a] === scores[b] && a < b);
  for (const doc of touched) {
    if (top.length === limit) {
      if (limit === 0 || !better(doc, top[limit - 1])) continue;
      top.pop();
    }
    let at = top.length;
    while (at > 0 && better(doc, top[at - 1])) at--;
    top.splice(at, 0, doc);
  }
  return top;
}

/** A regular expression matching any of the words as whole words, case-insensitively. */
function wordsPattern(words: Set<string>): RegExp | null {
  if (words.size === 0) return null;
  const alternatives = [...words]
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/^email/, "e-?mail"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "giu");
}

export function loadSearchIndex(stored: StoredSearchIndex): SearchIndex {
  const header = parseIndexHeader(stored.header);
  return new SearchIndex(header, stored.postings, splitIndexTexts(stored.texts, header));
}

export function parseIndexHeader(json: string): IndexHeader {
  return JSON.parse(json) as IndexHeader;
}

/** The revision of each indexed article, in document order. */
export function indexedRevisions(header: IndexHeader): string[] {
  return header.docs.map((doc) => doc[5]);
}

export function splitIndexTexts(texts: string, header: IndexHeader): string[] {
  return header.docs.length ? texts.split(TEXT_SEPARATOR) : [];
}

export function loadSearchIndexWithTexts(header: IndexHeader, postings: string, texts: string[]): SearchIndex {
  return new SearchIndex(header, postings, texts);
}

export type { IndexHeader };
