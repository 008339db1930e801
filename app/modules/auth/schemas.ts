import { z } from "zod";
import { uuidField } from "~/lib/uuid";
import { ROLES } from "./roles";

const email = z
  .string({ required_error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "An email address is at most 254 characters.")
  .email("Enter an email address like name@example.org.");

const newPassword = z
  .string({ required_error: "Choose a password." })
  .min(10, "Use at least 10 characters.")
  .max(200, "Use at most 200 characters.");

export const SignupInput = z.object({
  name: z.string({ required_error: "Enter your name." }).trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email,
  password: newPassword,
});

export const LoginInput = z.object({
  email,
  password: z.string({ required_error: "Enter your password." }).min(1, "Enter your password.").max(200, "Email or password is wrong."),
  redirectTo: z.string().optional(),
});

export const ForgotPasswordInput = z.object({ email });

export const ResetPasswordInput = z
  .object({ token: z.string().min(1), password: newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ.", path: ["confirm"] });

export const TokenInput = z.object({ token: z.string().min(10).max(200) });

export const RoleChangeInput = z.object({
  intent: z.enum(["grant", "revoke"]),
  accountId: uuidField,
  role: z.enum(ROLES),
});
