// Which FAQ article answers a finding. Articles declare the diagnosis codes they answer in their
// front matter (`codes: [...]`); the list comes from the knowledge base's published articles
// (publishedArticlesForCodes), so it follows every publish. Several may declare the same code, so
// each code names the article that answers it best while it still declares the code, and any
// other article declaring it is the fallback. Pure.
import type { DiagnosisCode, Finding } from "./diagnosis";

export interface FaqArticleRef {
  /** "/faq/<category>/<slug>" */
  path: string;
  title: string;
  /** The front matter's one-sentence answer, when read. */
  summary?: string;
  category: string;
  codes: string[];
}

// Most specific first. Used only while the article still declares the code.
const PREFERRED: Partial<Record<DiagnosisCode, string[]>> = {
  award_to_unverified_email: ["/faq/backpack-and-badges/badge-not-showing-in-backpack", "/faq/account-and-email/verification-email-not-received"],
  award_to_unknown_email: ["/faq/backpack-and-badges/badge-not-showing-in-backpack", "/faq/account-and-email/email-address-changed"],
  award_to_email_on_other_account: ["/faq/account-and-email/merge-two-accounts"],
  award_revoked: ["/faq/backpack-and-badges/badge-vanished-from-backpack", "/faq/for-issuers/undo-a-revocation"],
  award_expired: ["/faq/backpack-and-badges/badge-shows-expired"],
  award_removed_by_learner: ["/faq/backpack-and-badges/restore-removed-badge"],
  pathway_invitation_pending: ["/faq/pathways/lost-pathway-invitation"],
  account_without_verified_email: ["/faq/account-and-email/verification-email-not-received"],
};

/** For an award whose address differs from the account's only in capital letters. */
const CAPITAL_LETTERS_ARTICLE = "/faq/backpack-and-badges/badge-upload-email-capital-letters";

/** For a badge sent to an address that looks like a misspelling of one of the account's. */
const MISSPELT_ADDRESS_ARTICLE = "/faq/backpack-and-badges/badge-sent-to-misspelt-address";

/** Articles written for issuers answer a learner last. */
const ISSUER_CATEGORY = "for-issuers";

export function articleForFinding(
  finding: Pick<Finding, "code" | "articleCodes"> & Partial<Pick<Finding, "misspeltOf">>,
  articles: readonly FaqArticleRef[],
  { capitalLettersDiffer = false }: { capitalLettersDiffer?: boolean } = {},
): FaqArticleRef | null {
  if (!Array.isArray(articles) || articles.length === 0) return null;
  const codes = [finding.code, ...(Array.isArray(finding.articleCodes) ? finding.articleCodes : [])];
  const declares = (article: FaqArticleRef, code: string) => Array.isArray(article.codes) && article.codes.includes(code);
  const byPath = new Map(articles.map((a) => [a.path, a]));

  if (capitalLettersDiffer) {
    const article = byPath.get(CAPITAL_LETTERS_ARTICLE);
    if (article && codes.some((code) => declares(article, code))) return article;
  }
  if (finding.misspeltOf) {
    const article = byPath.get(MISSPELT_ADDRESS_ARTICLE);
    if (article && codes.some((code) => declares(article, code))) return article;
  }
  for (const code of codes) {
    for (const path of PREFERRED[code as DiagnosisCode] ?? []) {
      const article = byPath.get(path);
      if (article && declares(article, code)) return article;
    }
    const fallback = articles
      .filter((a) => declares(a, code))
      .sort((a, b) => Number(a.category === ISSUER_CATEGORY) - Number(b.category === ISSUER_CATEGORY) || a.codes.length - b.codes.length || a.path.localeCompare(b.path))[0];
    if (fallback) return fallback;
  }
  return null;
}
