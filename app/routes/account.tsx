import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/modules/auth";

// The account's addresses now live on My badges, beside the badges they bring in. Old links and
// bookmarks still work: they ask to log in first (with /account to come back to), then land there.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw redirect("/my/badges");
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  throw redirect("/my/badges", 303);
}
