import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { parseForm, type FieldErrors, type FormValues } from "~/lib/forms";
import { LoginInput } from "./schemas";

/** Thrown by the form strategy when the form itself is incomplete; the page shows it per field. */
export class LoginFormInvalid extends Error {
  constructor(
    readonly errors: FieldErrors,
    readonly values: FormValues,
  ) {
    super("Login form invalid");
  }
}

// remix-auth v4 keeps no session: the strategy only turns the posted form into credentials,
// and the login route checks them and starts our own database session.
export const authenticator = new Authenticator<{ email: string; password: string; redirectTo?: string }>();

authenticator.use(
  new FormStrategy(async ({ form }) => {
    const parsed = parseForm(form, LoginInput);
    if (!parsed.ok) throw new LoginFormInvalid(parsed.errors, parsed.values);
    return parsed.data;
  }),
  "form",
);
