// The agent desk's forms: the composer (send, insert a macro, search and insert an article) and
// assignment. Pure (zod only), shared by routes and tests.
import { z } from "zod";
import { cleanMultilineText, REPLY_MAX_LENGTH } from "./ticket-rules";
import { formToken } from "./schemas";

const SEND_STATUSES = { send: null, "send-pending": "pending", "send-resolve": "resolved" } as const;
export type SendIntent = keyof typeof SEND_STATUSES;

/** What a composer button asks for. Article buttons carry their slug: "insert-article:<slug>". */
export type ComposerIntent =
  | { kind: "send"; status: "pending" | "resolved" | null }
  | { kind: "insert-macro" }
  | { kind: "search-articles" }
  | { kind: "insert-article"; slug: string };

export function readComposerIntent(value: string): ComposerIntent | null {
  if (value in SEND_STATUSES) return { kind: "send", status: SEND_STATUSES[value as SendIntent] };
  if (value === "insert-macro" || value === "search-articles") return { kind: value };
  const article = value.match(/^insert-article:([a-z0-9-]{1,200})$/);
  return article ? { kind: "insert-article", slug: article[1] } : null;
}

export const ComposerForm = z.object({
  intent: z.string().max(220),
  // The draft as typed; checked for emptiness only when sending (inserting into an empty draft is fine).
  body: z
    .string()
    .default("")
    .refine((v) => cleanMultilineText(v).length <= REPLY_MAX_LENGTH, `Use at most ${REPLY_MAX_LENGTH.toLocaleString("en-GB")} characters.`),
  visibility: z.enum(["public", "internal"], { errorMap: () => ({ message: "Choose a public reply or an internal note." }) }),
  idempotencyKey: formToken,
  state: z.string().max(100),
  macroId: z.string().max(100).default(""),
  articleQuery: z.string().max(200).default(""),
});

export const AssignForm = z.object({
  intent: z.literal("assign"),
  /** "me", "" (back to the queue) or an agent's id. */
  assigneeId: z.union([z.literal("me"), z.literal(""), z.string().uuid("Choose an agent from the list.")]),
});
