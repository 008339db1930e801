import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { logout } from "~/modules/auth";

export const loader = () => redirect("/");

export async function action({ request }: ActionFunctionArgs) {
  return logout(request);
}
