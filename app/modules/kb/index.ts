// What other contexts and routes may use from the knowledge base.
export { compileArticle, formatProblem, RENDERER_VERSION, type ArticleHeading, type ArticleProblem, type CompiledArticle } from "./article-compiler.server";
export {
  exportArticles,
  findLiveArticle,
  importArticles,
  listLiveArticles,
  publishedArticlesForCodes,
  readArticleFiles,
  saveRevision,
  type ArticlePage,
  type CatalogArticle,
  type ImportReport,
} from "./articles.server";
export { currentContentVersion } from "./content-version.server";
export { findVoterState, mostHelpfulArticles, openTicketForArticleFeedback, recordFeedback, recordVote, voteTallies, type VoterState } from "./feedback.server";
export { ensureSearchIndex, getSearchIndex, searchArticles, DEFAULT_RESULT_LIMIT, MAX_RESULT_LIMIT, type SearchResponse, type SearchSurface } from "./search.server";
export { CATEGORIES, articleUrl, findCategory, isArticlePath, type Category } from "./categories";
export { relatedArticles } from "./helpfulness";
export * as cacheControl from "./http-caching";
export type { SearchIndex, SearchResult } from "./search-index";
export { prepareKnowledgeBase } from "./startup.server";
export {
  archiveArticle,
  codesWithoutPublishedArticle,
  compareRevisions,
  findArticleForEditing,
  findRetiredAddress,
  listEditorArticles,
  listReplacementCandidates,
  previewArticle,
  restoreArticle,
  rollBackToRevision,
  saveArticle,
  type ArticleForEditing,
  type ArticleStatus,
  type EditorArticleRow,
  type PreviewResult,
  type SaveResult,
} from "./editor.server";
export { answerSearch, cachedSearchAnswer, SEARCH_ANSWER_HEADERS, type SearchRequest } from "./search-answers.server";
export { countArticleView, flushReadingLog, isSearchKey, newSearchKey, noteResultOpened } from "./reading-log.server";
export { readImage, uploadImage, type UploadResult } from "./images.server";
export { dailyActivity, markCommentHandled, mostUnhelpfulArticles, unopenedSearches, zeroResultSearches, type DailyPoint } from "./insights.server";
