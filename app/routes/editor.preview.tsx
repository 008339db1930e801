// POST /editor/preview: the live preview beside the edit form (JavaScript only; without it the
// form's Preview button renders on the page). The same compiler as the public site.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseForm } from "~/lib/forms";
import { requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { previewArticle } from "~/modules/kb";
import { ArticleForm, chosenCodes } from "~/modules/kb/editor-rules";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "editor");
  throw new Response("Not found", { status: 404 });
}

// The preview shows what it can while fields are half-filled: missing fields get stand-ins.
const PreviewForm = ArticleForm.pick({ body: true }).passthrough();

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "editor");
  const form = await request.formData();
  const headers = { "Cache-Control": "private, no-store" };
  // Nothing written yet: nothing to show, and nothing wrong.
  if (!String(form.get("body") ?? "").trim()) return Response.json({ ok: true, html: "" }, { headers });
  const input = parseForm(form, PreviewForm);
  if (!input.ok)
    return Response.json(
      {
        ok: false,
        problems: [{ line: 0, message: input.errors.body ?? "Write the article." }],
      },
      { headers }
    );
  const text = (name: string, fallback: string) => String(form.get(name) ?? "").trim() || fallback;
  const preview = await previewArticle(
    {
      title: text("title", "Untitled article"),
      summary: text("summary", "A summary will be written for this article."),
      category: text("category", "backpack-and-badges"),
      tags: text("tags", "draft")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      codes: chosenCodes(form.getAll("codes")),
      updated: new Date().toISOString().slice(0, 10),
    },
    input.data.body
  );
  return Response.json(preview, { headers });
}
