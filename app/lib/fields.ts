// Form fields several forms share, with the words a learner reads beside them.
import { z } from "zod";

const EMAIL_SHAPE = "Enter an email address like name@example.org.";

/**
 * An address with its domain in the one form we store and compare: a domain with non-English
 * letters (IDN, "bücher.example") becomes its ASCII form ("xn--bcher-kva.example"), which is
 * also what browsers send from an email field and what mail servers use. Typed either way, it
 * is then the same address. The local part (before the @) is kept as typed. Not an address:
 * returned unchanged, for the shape check to refuse.
 */
export function canonicalEmailAddress(value: string): string {
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return value;
  const domain = value.slice(at + 1);
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7F]*$/.test(domain)) return value;
  try {
    // URL applies IDNA (the WHATWG rules both Node and browsers use): lower case, NFC, punycode.
    const hostname = new URL(`http://${domain}`).hostname;
    return /^[a-z0-9.-]+$/.test(hostname) ? `${value.slice(0, at)}@${hostname}` : value;
  } catch {
    return value;
  }
}

/**
 * The email field of every form: trimmed, required (with the form's own words for "empty"),
 * an international domain put in its stored form, at most 254 characters, shaped like an address.
 */
export function emailField(emptyMessage = "Enter your email address.") {
  return z
    .string({ required_error: emptyMessage })
    .trim()
    .min(1, emptyMessage)
    .transform(canonicalEmailAddress)
    .pipe(z.string().max(254, "An email address is at most 254 characters.").email(EMAIL_SHAPE));
}

/** Whether an optional email field's value (already trimmed) is empty or an address (international domains too). */
export function isEmptyOrEmailAddress(value: string): boolean {
  if (value === "") return true;
  const address = canonicalEmailAddress(value);
  return address.length <= 254 && z.string().email().safeParse(address).success;
}
