// Form fields several forms share, with the words a learner reads beside them.
import { z } from "zod";

/**
 * The email field of every form: trimmed, required (with the form's own words for "empty"),
 * at most 254 characters, shaped like an address.
 */
export function emailField(emptyMessage = "Enter your email address.") {
  return z.string({ required_error: emptyMessage }).trim().min(1, emptyMessage).max(254, "An email address is at most 254 characters.").email("Enter an email address like name@example.org.");
}

/** Whether an optional email field's value (already trimmed) is empty or an address. */
export function isEmptyOrEmailAddress(value: string): boolean {
  return value === "" || (value.length <= 254 && z.string().email().safeParse(value).success);
}
