// "Download my data": the signed-in learner's own data as a JSON file, never cached.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth";
import { exportMyData } from "~/modules/profile";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const exported = await exportMyData({ accountId: viewer.id });
  if (!exported) throw new Response("Not found", { status: 404 });
  const day = exported.exportedAt.slice(0, 10);
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="badgedesk-my-data-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
