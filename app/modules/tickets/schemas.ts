// The ticket forms' fields and their messages. Pure (zod only), shared by routes and the module.
import { z } from "zod";
import { canonicalEmailAddress, emailField } from "~/lib/fields";
import {
  cleanMultilineText,
  cleanSingleLineText,
  DESCRIPTION_MAX_LENGTH,
  REPLY_MAX_LENGTH,
  SUBJECT_MAX_LENGTH,
  countCharacters,
  TICKET_CATEGORIES,
} from "./ticket-rules";
import { RATING_COMMENT_MAX_LENGTH, TICKET_RATINGS } from "./ratings";

const singleLine = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (typeof v === "string" ? cleanSingleLineText(v) : v), schema);
const multiline = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (typeof v === "string" ? cleanMultilineText(v) : v), schema);
/** An optional field: empty means absent. */
const optionalSingleLine = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? cleanSingleLineText(v) || undefined : v ?? undefined), schema.optional());

const optionalMultiline = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? cleanMultilineText(v) || undefined : v ?? undefined), schema.optional());

const count = (n: number) => n.toLocaleString("en-GB");

export const requesterName = singleLine(z.string({ required_error: "Enter your name." }).min(1, "Enter your name.").max(100, "Use at most 100 characters."));

export const requesterEmail = singleLine(emailField());

export const ticketContentShape = {
  category: z.enum(TICKET_CATEGORIES, { errorMap: () => ({ message: "Choose what your question is about." }) }),
  subject: singleLine(
    z
      .string({ required_error: "Enter a subject." })
      .min(3, "Enter a subject of a few words, e.g. “Badge not in my backpack”.")
      .max(SUBJECT_MAX_LENGTH, `Use at most ${SUBJECT_MAX_LENGTH} characters.`),
  ),
  description: multiline(
    z
      .string({ required_error: "Describe the problem." })
      .min(1, "Describe the problem: what you expected, and what happened instead.")
      .refine((text) => countCharacters(text) <= DESCRIPTION_MAX_LENGTH, `Use at most ${count(DESCRIPTION_MAX_LENGTH)} characters.`),
  ),
  issuerOrBadge: optionalSingleLine(z.string().max(200, "Use at most 200 characters.")),
  badgeEmail: optionalSingleLine(
    z
      .string()
      .transform(canonicalEmailAddress)
      .pipe(z.string().max(254, "An email address is at most 254 characters.").email("Enter an email address like name@example.org, or leave this empty.")),
  ),
};

/** The idempotency token a rendered form carries: one per form, so a resubmission is recognised. */
export const formToken = z.string({ required_error: "This form has expired. Please reload the page." }).uuid("This form has expired. Please reload the page.");

export const SignedInTicketForm = z.object({ ...ticketContentShape, idempotencyKey: formToken });
export const GuestTicketForm = z.object({ ...ticketContentShape, name: requesterName, email: requesterEmail, idempotencyKey: formToken });

export const ReplyForm = z.object({
  intent: z.literal("reply"),
  body: multiline(
    z
      .string({ required_error: "Write your reply." })
      .min(1, "Write your reply.")
      .refine((text) => countCharacters(text) <= REPLY_MAX_LENGTH, `Use at most ${count(REPLY_MAX_LENGTH)} characters.`),
  ),
  idempotencyKey: formToken,
});

export const StatusForm = z.object({ intent: z.enum(["close", "reopen"]) });

export const SendGuestLinksForm = z.object({ intent: z.literal("send-links"), email: requesterEmail });

export const SuggestionShownForm = z.object({
  draftId: formToken,
  query: z.string().max(500).default(""),
  slugs: z.array(z.string().min(1).max(200)).min(1).max(10),
});

export const SuggestionOpenedQuery = z.object({
  draft: formToken,
  slug: z.string().min(1).max(200),
  to: z.string().min(1).max(500),
  q: z.string().max(500).default(""),
});

export const RatingForm = z.object({
  intent: z.literal("rate"),
  rating: z.enum(TICKET_RATINGS, { errorMap: () => ({ message: "Choose Good or Bad." }) }),
  comment: optionalMultiline(z.string().max(RATING_COMMENT_MAX_LENGTH, `Keep your comment to ${count(RATING_COMMENT_MAX_LENGTH)} characters.`)),
});
