// The feedback forms under each article. Pure: the page and the action share these rules.
import { z } from "zod";
import { isEmptyOrEmailAddress } from "~/lib/fields";

export const COMMENT_MAX_LENGTH = 2000;

export const VoteForm = z.object({
  intent: z.literal("vote"),
  helpful: z.enum(["yes", "no"], { errorMap: () => ({ message: "Choose Yes or No." }) }),
});

export const CommentForm = z
  .object({
    intent: z.literal("comment"),
    comment: z
      .string()
      .default("")
      .transform((value) => value.replace(/\r\n/g, "\n").trim())
      .refine((value) => value.length <= COMMENT_MAX_LENGTH, (value) => ({
        message: `Keep your comment to ${COMMENT_MAX_LENGTH.toLocaleString("en")} characters (it has ${value.length.toLocaleString("en")}).`,
      })),
    email: z
      .string()
      .default("")
      .transform((value) => value.trim())
      .refine(isEmptyOrEmailAddress, "Enter an email address like name@example.org, or leave it empty."),
    contact: z
      .string()
      .optional()
      .transform((value) => value === "on" || value === "yes"),
  })
  .superRefine((form, ctx) => {
    if (form.contact && !form.email) ctx.addIssue({ code: "custom", path: ["email"], message: "Enter the address we should reply to, or untick “Contact me”." });
    if (!form.comment && !form.contact) ctx.addIssue({ code: "custom", path: ["comment"], message: "Tell us what was missing, or tick “Contact me” so we can ask." });
  });
export type CommentForm = z.infer<typeof CommentForm>;
