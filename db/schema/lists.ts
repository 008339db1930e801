// The fixed lists that the database, the zod schemas and the pages share, written once. The schema
// derives its column types and CHECK constraints from them (see oneOf), the domain rules derive
// their types and zod enums. No imports: the browser bundle reads this file too.

export const ROLES = ["agent", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const TICKET_STATUSES = ["new", "open", "pending", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_CATEGORIES = ["missing_badge", "email_account", "revoked_badge", "pathways", "verification_sharing", "other"] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_SOURCES = ["web", "article_feedback", "email"] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

export const TICKET_ACTOR_KINDS = ["requester", "agent", "system"] as const;

export const MESSAGE_VISIBILITIES = ["public", "internal"] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

export const MAIL_STATUSES = ["pending", "sending", "sent", "failed"] as const;

export const TOKEN_PURPOSES = ["verify_email", "reset_password"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** "How did we do?" on a resolved ticket. */
export const TICKET_RATINGS = ["good", "bad"] as const;
export type TicketRating = (typeof TICKET_RATINGS)[number];

/** How a received email reached us. */
export const INBOUND_EMAIL_VIAS = ["http", "imap", "dev_mailbox"] as const;
export const INBOUND_EMAIL_STATUSES = ["stored", "processed", "failed"] as const;
/** automatic: an auto-reply, list or bulk mail (never answered, never reopens); bounce: a delivery report. */
export const INBOUND_EMAIL_KINDS = ["normal", "automatic", "bounce"] as const;
export type InboundEmailKind = (typeof INBOUND_EMAIL_KINDS)[number];
/** What the pipeline did with it: a reply on a ticket, a new ticket, held for an agent ("from someone else"), a bounce recorded, or nothing. */
export const INBOUND_EMAIL_OUTCOMES = ["reply", "new_ticket", "held", "bounce", "ignored"] as const;
export type InboundEmailOutcome = (typeof INBOUND_EMAIL_OUTCOMES)[number];

/** Where a ticket message came from. */
export const MESSAGE_CHANNELS = ["web", "email"] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
