// What the My badges forms may send. Pure, shared by the routes and their tests.
import { z } from "zod";

const emailId = z.string({ required_error: "Choose an address." }).uuid("That address was not found on your account.");
const awardId = z.string({ required_error: "Choose a badge." }).uuid("That badge was not found.");

export const AddEmailInput = z.object({
  intent: z.literal("add-email"),
  email: z
    .string({ required_error: "Enter an email address." })
    .trim()
    .min(1, "Enter an email address.")
    .max(254, "An email address is at most 254 characters.")
    .email("Enter an email address like name@example.org."),
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
