// What the My badges forms may send. Pure, shared by the routes and their tests.
import { z } from "zod";
import { emailField } from "~/lib/fields";
import { UUID_PATTERN } from "~/lib/uuid";

const emailId = z.string({ required_error: "Choose an address." }).regex(UUID_PATTERN, "That address was not found on your account.");
const awardId = z.string({ required_error: "Choose a badge." }).regex(UUID_PATTERN, "That badge was not found.");

export const AddEmailInput = z.object({
  intent: z.literal("add-email"),
  email: emailField("Enter an email address."),
});

export const MyBadgesActionInput = z.discriminatedUnion("intent", [
  AddEmailInput,
  z.object({ intent: z.literal("send-link"), emailId }),
  z.object({ intent: z.literal("make-primary"), emailId }),
  z.object({ intent: z.literal("cancel-move"), emailId }),
  z.object({ intent: z.literal("restore-award"), awardId }),
  z.object({ intent: z.literal("remove-from-backpack"), awardId }),
]);
export type MyBadgesAction = z.infer<typeof MyBadgesActionInput>;

export const RemoveAddressInput = z.object({ intent: z.literal("remove-address") });
