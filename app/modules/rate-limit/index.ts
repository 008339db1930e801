export { checkRateLimit, clearRateLimit, countRateLimit, hitRateLimit, type RateLimitResult, type RateLimitRule } from "./rate-limit.server";
export {
  automaticAnswersPerSender,
  countTicketSubmission,
  guestLinkRequestsPerAddress,
  guestLinkRequestsPerClient,
  suggestionEventsPerClient,
  ticketsPerAddress,
  ticketsPerClient,
} from "./ticket-limits.server";
