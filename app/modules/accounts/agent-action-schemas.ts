// What the account panel's forms may send. Pure, shared by the routes and their tests.
import { z } from "zod";

const uuid = (message: string) => z.string({ required_error: message }).uuid(message);
const emailId = uuid("That address was not found on this account.");
const awardId = uuid("That badge was not found on this account.");
const address = z
  .string({ required_error: "Enter an email address." })
  .trim()
  .min(1, "Enter an email address.")
  .max(254, "An email address is at most 254 characters.")
  .email("Enter an email address like name@example.org.");
const evidence = z
  .string({ required_error: "Write down the identity evidence you checked." })
  .trim()
  .min(10, "Write down the identity evidence you checked (at least 10 characters).")
  .max(2000, "Keep the evidence under 2,000 characters.");
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max.toLocaleString("en")} characters.`)
    .optional()
    .transform((v) => (v ? v : null));

/** Fields every action form carries: its one-time key, the ticket it serves, or a written reason. */
const common = {
  actionKey: z.string({ required_error: "This form is out of date. Reload the page." }).min(8).max(200),
  ticketId: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.string().uuid("That ticket was not found.").nullable()),
  reason: optionalText(2000),
  returnTo: z.string().optional(),
};

const today = () => new Date().toISOString().slice(0, 10);

export const AgentActionInput = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("send-link"), emailId, ...common }),
  z.object({ intent: z.literal("mark-verified"), emailId, evidence, ...common }),
  z.object({ intent: z.literal("add-email"), email: address, ...common }),
  z.object({ intent: z.literal("remove-email"), emailId, confirm: z.literal("yes", { errorMap: () => ({ message: "Confirm the removal first." }) }), ...common }),
  z.object({ intent: z.literal("make-primary"), emailId, ...common }),
  z.object({ intent: z.literal("move-address"), email: address, evidence, ...common }),
  z.object({ intent: z.literal("resend-award-notice"), awardId, ...common }),
  z.object({ intent: z.literal("restore-award"), awardId, ...common }),
  z.object({ intent: z.literal("ask-issuer"), awardId, note: optionalText(5000), ...common }),
  z.object({
    intent: z.literal("record-authorisation"),
    awardId,
    authorisedBy: z.string({ required_error: "Who authorised it?" }).trim().min(2, "Who authorised it? Name and role, e.g. “Dr Lee, Registrar”.").max(200, "Keep it under 200 characters."),
    authorisedOn: z
      .string({ required_error: "Enter the date of the authorisation." })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date of the authorisation, like 2026-03-05.")
      .refine((v) => !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime()), "Enter a real date, like 2026-03-05.")
      .refine((v) => v <= today(), "The authorisation can't be dated in the future."),
    reference: z.string({ required_error: "Enter the issuer's reference." }).trim().min(2, "Enter the issuer's reference (their email subject, letter or case number).").max(200, "Keep it under 200 characters."),
    ...common,
  }),
  z.object({ intent: z.literal("resend-invitation"), invitationId: uuid("That invitation was not found on this account."), ...common }),
]);
export type AgentActionRequest = z.infer<typeof AgentActionInput>;
export type AgentActionIntent = AgentActionRequest["intent"];

/** The one-time key a rendered form submits: the render's nonce plus what the form does. */
export function actionKeyFor(renderKey: string, intent: AgentActionIntent, target: string): string {
  return `${renderKey}:${intent}:${target}`;
}
