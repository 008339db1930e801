// What other contexts (tickets, the agent panel) and routes may use from accounts.
export {
  awardStatesForAccount,
  findAccountByAnyEmail,
  getAccountDiagnosis,
  loadAccountLookup,
  loadAccountSnapshot,
  type AccountAwardStates,
  type AccountKey,
  type Audience,
} from "./account-lookup.server";
export {
  addEmailAddress,
  cancelAddressMove,
  findBadgesAtMisspelling,
  getMyBadges,
  makeEmailPrimary,
  previewAddressRemoval,
  removeAwardFromBackpack,
  removeEmailAddress,
  resendVerificationLink,
  restoreAward,
  type AddEmailResult,
  type AwardAtMisspelling,
  type MisspeltSearchResult,
  type BackpackResult,
  type MakePrimaryResult,
  type RemoveAddressResult,
  type SendLinkResult,
} from "./self-service.server";
export { loadAccountPanel, searchAccounts, type AccountPanelResult, type AccountSearchHit, type TicketAddressAwards } from "./agent-panel.server";
export { performAgentAction, type AgentActionOutcome } from "./agent-actions.server";
export * from "./agent-panel";
export * from "./agent-action-schemas";
export * from "./account-lookup";
export * from "./article-links";
export * from "./award-state";
export * from "./diagnosis";
export * from "./misspelt-address";
export * from "./my-badges";
export * from "./schemas";
export * from "./self-service-words";
export { intendedAddress, likelyTypoMatches, normalizeEmail } from "./email-typos";
