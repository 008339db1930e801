// What a new password must not be, beyond its length (schemas.ts): one of the passwords people
// pick most often, which guessing tries first. The list is zxcvbn-ts's common-passwords dictionary
// (about 49,000 entries from breach corpora), kept server-side: it never ships to the browser.
import { dictionary } from "@zxcvbn-ts/language-common";

let common: ReadonlySet<string> | null = null;

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common;
}

/** Why this password is refused, in words for beside the field; null when it is fine. */
export function newPasswordProblem(password: string): string | null {
  if (password.trim() === "") return "A password can't be only spaces.";
  const lowered = password.toLowerCase();
  if (commonPasswords().has(lowered) || commonPasswords().has(lowered.trim())) {
    return "This is one of the most common passwords, the first ones an attacker tries. Choose another, e.g. a few unrelated words.";
  }
  if (new Set(lowered).size <= 2) return "Use more than one or two different characters.";
  return null;
}
