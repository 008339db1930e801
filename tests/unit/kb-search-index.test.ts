// The index is lunr's: the same terms, and every posting with exactly lunr.Builder's BM25 weight.
import lunr from "lunr";
import { describe, expect, test } from "vitest";
import { buildSearchIndex, FIELD_BOOSTS, loadSearchIndex, newDocumentAnalyses, termOf, type SearchDocument } from "~/modules/kb/search-index";
import { tokenize } from "~/modules/kb/search-text";

const docs: SearchDocument[] = [
  { slug: "lost-award-email", url: "/faq/a/lost-award-email", title: "I lost the award email", summary: "Your badge belongs to your address, not to the message.", category: "a", tags: ["lost email", "award"], body: "You do not need the email. Sign in and open your backpack; the badge is already there. Deleted e-mails change nothing." },
  { slug: "verify-email", url: "/faq/a/verify-email", title: "I didn't get the verification email", summary: "What to do when the verification link does not arrive.", category: "a", tags: ["verification"], body: "Check spam. Ask for a new verification link under Account, Profile. Links expire after a day." },
  { slug: "pathway-invitation", url: "/faq/b/pathway-invitation", title: "Finding a lost pathway invitation", summary: "Apps, then Pathways, then My Pathways lists every invitation.", category: "b", tags: ["pathway invitation"], body: "Open Apps, choose Pathways and allow the app. Your invitations wait under My Pathways." },
  { slug: "revoked", url: "/faq/b/revoked", title: "Why a badge vanished", summary: "A revoked badge leaves the backpack; the issuer decides.", category: "b", tags: ["revoked", "vanished badge"], body: "The issuer revoked the badge and gave a reason. Only the issuer can award it again." },
];

function lunrIndex() {
  const builder = new lunr.Builder();
  builder.ref("ref");
  for (const [field, boost] of Object.entries(FIELD_BOOSTS)) builder.field(field, { boost });
  builder.pipeline.add(lunr.stopWordFilter, lunr.stemmer);
  builder.searchPipeline.add(lunr.stemmer);
  // lunr's own pipeline over the same words our tokenizer finds.
  builder.tokenizer = ((value: unknown) => tokenize(String(value ?? "")).map((t) => new lunr.Token(t.word, {}))) as unknown as typeof lunr.tokenizer;
  docs.forEach((d, ref) => builder.add({ ref: String(ref), title: d.title, tags: d.tags.join(" , "), summary: d.summary, body: d.body }));
  return builder.build();
}

describe("the index reproduces lunr", () => {
  const index = loadSearchIndex(buildSearchIndex(docs));
  const reference = lunrIndex() as unknown as { fieldVectors: Record<string, { elements: number[] }>; invertedIndex: Record<string, { _index: number }> };

  test("every posting carries lunr.Builder's weight", () => {
    const termByLunrIndex = new Map(Object.entries(reference.invertedIndex).map(([term, posting]) => [posting._index, term]));
    let compared = 0;
    for (const [fieldRef, vector] of Object.entries(reference.fieldVectors)) {
      const [field, ref] = fieldRef.split("/");
      for (let i = 0; i < vector.elements.length; i += 2) {
        const term = termByLunrIndex.get(vector.elements[i])!;
        const ours = index.postingsOf(term).find((p) => p.field === field && p.doc === Number(ref));
        expect(ours?.weight, `${term} in ${fieldRef}`).toBe(vector.elements[i + 1]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  test("single-word queries rank as lunr ranks them", () => {
    const lunrSearch = lunrIndex();
    for (const word of ["email", "badge", "pathway", "verification", "issuer", "invitation"]) {
      const expected = lunrSearch.query((q) => q.term(termOf(word)!, { usePipeline: false })).map((r) => docs[Number(r.ref)].slug);
      // A finished word (trailing space) is matched whole, as lunr matches a term.
      expect(index.search(`${word} `, { limit: 10 }).results.map((r) => r.slug), word).toEqual(expected);
    }
  });
});

describe("searching", () => {
  const index = loadSearchIndex(buildSearchIndex(docs));

  test("stemming: a different form of the word finds the article", () => {
    expect(index.search("invitations pathways ").results[0].slug).toBe("pathway-invitation");
    expect(index.search("link expires ").results[0].slug).toBe("verify-email");
  });

  test("the word being typed matches the words it starts", () => {
    expect(index.search("pathw").results[0].slug).toBe("pathway-invitation");
    // Once a space follows, it is a whole word, and "pathw" is none.
    expect(index.search("pathw ").results).toEqual([]);
  });

  test("a stop word ending a phrase is not read as the start of a longer word", () => {
    const withSignIn = loadSearchIndex(
      buildSearchIndex([
        ...docs,
        { slug: "sign-in", url: "/faq/a/sign-in", title: "I can't sign in", summary: "Reset your password from the log-in page.", category: "a", tags: ["log in", "password"], body: "Use an address on your account." },
      ]),
    );
    // "in" while typed alone still completes to "invitation"…
    expect(withSignIn.search("in").results[0].slug).toBe("pathway-invitation");
    // …but after "log" it ends "log in", and the pathway article has nothing to do with it.
    expect(withSignIn.search("I can't log in").results.map((r) => r.slug)).toEqual(["sign-in"]);
  });

  test("a misspelt word of four letters or more is read as the closest word", () => {
    const outcome = index.search("pathwya invitaton ");
    expect(outcome.results[0].slug).toBe("pathway-invitation");
    expect(outcome.corrections).toEqual([
      { from: "pathwya", to: "pathway" },
      { from: "invitaton", to: "invitation" },
    ]);
    // Three letters are too few to guess from.
    expect(index.search("bdg ").results).toEqual([]);
  });

  test("stop words alone find nothing; a query made of symbols finds nothing", () => {
    expect(index.search("what is the ").results).toEqual([]);
    expect(index.search("+-~^*:").results).toEqual([]);
  });

  test("snippets come from the article text with the matched forms marked", () => {
    const [result] = index.search("revoke ").results;
    expect(result.slug).toBe("revoked");
    expect(result.highlights.map(([s, e]) => result.snippet.slice(s, e))).toEqual(["revoked"]);
  });

  test("e-mail in an article is found and marked when searching email", () => {
    const result = index.search("deleted email ").results.find((r) => r.slug === "lost-award-email")!;
    expect(result.highlights.map(([s, e]) => result.snippet.slice(s, e).toLowerCase())).toEqual(expect.arrayContaining(["email", "e-mails"]));
  });

  test("an empty index answers every query with nothing", () => {
    expect(loadSearchIndex(buildSearchIndex([])).search("badge").results).toEqual([]);
  });

  test("total counts every match past the limit; offset pages through them in order", () => {
    const all = index.search("badge email ", { limit: 10 });
    const firstTwo = index.search("badge email ", { limit: 2 });
    const rest = index.search("badge email ", { limit: 2, offset: 2 });
    expect(all.results.length).toBeGreaterThan(2);
    expect(all.total).toBe(all.results.length);
    expect(firstTwo.total).toBe(all.total);
    expect([...firstTwo.results, ...rest.results].map((r) => r.slug)).toEqual(all.results.slice(0, 4).map((r) => r.slug));
  });

  test("the limit is respected and scores never increase down the list", () => {
    const { results } = index.search("badge email ", { limit: 3 });
    expect(results.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < results.length; i++) expect(results[i].score).toBeLessThanOrEqual(results[i - 1].score);
  });
});

describe("a publish re-analyses only the new revisions", () => {
  const withRevisions = docs.map((d, i) => ({ ...d, revisionId: `revision-${i}` }));

  test("a build reusing the words of unchanged revisions stores exactly what a build from scratch stores", () => {
    const analyses = newDocumentAnalyses();
    buildSearchIndex(withRevisions, analyses);
    expect(analyses.byRevision.size).toBe(withRevisions.length);
    // One article changes (a new revision), one leaves the site, one comes new.
    const next = [{ ...withRevisions[0], revisionId: "revision-0b", body: `${withRevisions[0].body} Quokkas renew badges.` }, ...withRevisions.slice(2), { ...withRevisions[1], slug: "another", revisionId: "revision-new" }];
    expect(buildSearchIndex(next, analyses)).toEqual(buildSearchIndex(next));
    expect([...analyses.byRevision.keys()].sort()).toEqual(next.map((d) => d.revisionId).sort());
    expect(loadSearchIndex(buildSearchIndex(next, analyses)).search("quokkas").results[0]?.slug).toBe(next[0].slug);
  });
});
