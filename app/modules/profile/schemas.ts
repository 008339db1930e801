// What My profile's forms may send. Pure, shared by the routes and their tests. Every password
// field's name holds "password", so a form sent back with errors never echoes one (forms.ts).
import { z } from "zod";

export const ChangeNameInput = z.object({
  name: z.string({ required_error: "Enter your name." }).trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
});

export const ChangePasswordInput = z
  .object({
    currentPassword: z.string({ required_error: "Enter your current password." }).min(1, "Enter your current password.").max(200, "That isn't your current password."),
    newPassword: z.string({ required_error: "Choose a new password." }).min(10, "Use at least 10 characters.").max(200, "Use at most 200 characters."),
    confirmPassword: z.string({ required_error: "Type the new password again." }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "The two passwords differ.", path: ["confirmPassword"] });

export const DeleteAccountInput = z.object({
  password: z.string({ required_error: "Enter your password." }).min(1, "Enter your password.").max(200, "That isn't your password."),
  phrase: z.string({ required_error: "Type the phrase to confirm." }).max(100, "Type the phrase to confirm."),
});
