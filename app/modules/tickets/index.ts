// What other contexts and routes may use from tickets.
export {
  addActionNote,
  addAgentReply,
  changeStatusAsRequester,
  findTicketByGuestToken,
  findTicketForViewer,
  listTicketsForViewer,
  markTicketSeen,
  MY_TICKETS_PAGE_SIZE,
  openTicket,
  replyAsRequester,
  setStatus,
  type AgentActionResult,
  type OpenTicketInput,
  type OpenTicketResult,
  type RequesterAccess,
  type TicketListItem,
  type TicketView,
  type TimelineEntry,
} from "./tickets.server";
export { findTicketForPanel, listTicketsForAccount, type AccountTicket, type TicketForPanel } from "./account-tickets.server";
export { emailGuestLinks, GUEST_LINK_PATH, replaceGuestLinks, revokeGuestLinks } from "./guest-links.server";
export { recordSuggestionEvents, summarizeSuggestionDeflection, type DeflectionRow, type DeflectionTotals } from "./suggestions.server";
export { diagnosisSummaryFor } from "./diagnosis-hints.server";
export * from "./schemas";
export * from "./ticket-rules";
