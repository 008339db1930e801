// What other contexts and routes may use from tickets.
export { openTicket, type OpenTicketInput, type OpenTicketResult } from "./submit.server";
export {
  findTicketByGuestToken,
  findTicketForViewer,
  listTicketsForViewer,
  markTicketSeen,
  ticketIdOpenedBy,
  MY_TICKETS_PAGE_SIZE,
  type TicketListItem,
  type TicketView,
  type TimelineEntry,
} from "./read.server";
export { findTicketForPanel, listTicketsForAccount, type AccountTicket, type TicketForPanel } from "./account-tickets.server";
export { loadAgentTicketPage, type AgentTicketPage, type PanelStart } from "./agent-ticket-page.server";
export {
  changeStatusAsRequester,
  replyAsRequester,
  type RequesterAccess,
  type RequesterReplyResult,
  type RequesterStatusResult,
} from "./requester-actions.server";
export { addActionNote, addAgentReply, setStatus, type AgentActionResult } from "./agent-actions.server";
export { emailGuestLinks, GUEST_LINK_PATH, replaceGuestLinks, revokeGuestLinks } from "./guest-links.server";
export { recordSuggestionEvents, summarizeSuggestionDeflection, type DeflectionRow, type DeflectionTotals } from "./suggestions.server";
export { accountHelpFor, type AccountArticle, type AccountHelp } from "./diagnosis-hints.server";
export {
  assignTicket,
  entriesSince,
  findTicketForAgent,
  listAgents,
  markTicketViewing,
  otherTicketsOfRequester,
  sendFromComposer,
  ticketActivity,
  ticketForPanelOf,
  type AgentSummary,
  type AgentThreadEntry,
  type AgentTicketView,
  type ComposerSendResult,
  type TicketActivity,
} from "./agent-desk.server";
export { countQueueViews, listQueue, loadQueuePage, takeNextTicket, type QueuePage, type QueuePageData, type QueueRow } from "./queue.server";
export { articleLineForComposer, deleteMacro, fillMacroForTicket, findMacro, listMacros, saveMacro, searchArticlesForComposer, type MacroSummary } from "./macros.server";
export * from "./queue-rules";
export * from "./macro-rules";
export * from "./agent-desk-forms";
export * from "./schemas";
export * from "./ticket-rules";
export { findRating, rateTicket, ratingPanelFor, weeklyCsat, type CsatWeek, type RateTicketResult } from "./ratings.server";
export * from "./ratings";
export {
  acceptHeldMessage,
  addBounceNote,
  addEmailMessage,
  isRequesterAddress,
  lockTicketById,
  lockTicketByReference,
  openTicketFromEmail,
  ticketIdForMessageIds,
  type AcceptHeldResult,
  type EmailMessageKind,
} from "./email-messages.server";
