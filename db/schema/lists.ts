// The fixed lists that the database, the zod schemas and the pages share, written once. The schema
// derives its column types and CHECK constraints from them (see oneOf), the domain rules derive
// their types and zod enums. No imports: the browser bundle reads this file too.

export const ROLES = ["agent", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const TICKET_STATUSES = ["new", "open", "pending", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_CATEGORIES = ["missing_badge", "email_account", "revoked_badge", "pathways", "verification_sharing", "other"] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_SOURCES = ["web", "article_feedback"] as const;
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
