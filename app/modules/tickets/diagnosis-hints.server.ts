// "Before you submit": the diagnosis of the learner's own account, in their words, beside the
// form, and the articles that answer its findings (they lead the form's suggestions).
import { articleForFinding, getAccountDiagnosis } from "~/modules/accounts";
import { publishedArticlesForCodes } from "~/modules/kb";
import { describeErrorForLog } from "~/lib/log-redaction";

export interface AccountArticle {
  slug: string;
  url: string;
  title: string;
  summary: string;
}

export interface AccountHelp {
  /** The diagnosis summary lines. */
  summary: string[];
  /** One article per finding that has one, most serious finding first, each article once. */
  articles: AccountArticle[];
}

/** What the ticket form tells a signed-in learner about their account; nothing when the diagnosis can't be made. */
export async function accountHelpFor({ accountId }: { accountId: string }): Promise<AccountHelp> {
  try {
    const [{ summary, findings }, catalogue] = await Promise.all([getAccountDiagnosis({ accountId }), publishedArticlesForCodes()]);
    const articles = new Map<string, AccountArticle>();
    for (const finding of findings) {
      const article = articleForFinding(finding, catalogue);
      if (!article || articles.has(article.path)) continue;
      articles.set(article.path, { slug: article.path.split("/").pop() ?? "", url: article.path, title: article.title, summary: article.summary ?? "" });
    }
    return { summary, articles: [...articles.values()] };
  } catch (error) {
    // The form must work even when the diagnosis does not: it is a hint, not a gate.
    console.error("ticket form: account diagnosis failed: %s", describeErrorForLog(error));
    return { summary: [], articles: [] };
  }
}
