import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseForm } from "~/lib/forms";
import { auditLogCsv, AuditFilterInput } from "~/modules/audit";
import { requireRoleOrNotFound } from "~/modules/auth";

// The audit log page's filters, as a spreadsheet.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  const form = new FormData();
  for (const [key, value] of new URL(request.url).searchParams) form.append(key, value);
  const filters = parseForm(form, AuditFilterInput);
  if (!filters.ok) return new Response(`${Object.values(filters.errors).join("\n")}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(await auditLogCsv(filters.data), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="badgedesk-audit-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
