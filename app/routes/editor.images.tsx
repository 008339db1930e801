// POST /editor/images: an editor uploads a screenshot (multipart: image, alt, articleId). With
// JavaScript (js=1) the answer is JSON and the editor inserts the component into the article;
// without, the edit page comes back with the component to paste in its notice.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parseForm } from "~/lib/forms";
import { isUuid } from "~/lib/uuid";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { uploadImage } from "~/modules/kb";
import { ImageUploadForm } from "~/modules/kb/editor-rules";

// Only a form's target: an editor who opens the address (a bookmark, the back button after an
// upload) is sent to the list of articles rather than shown a bare "Not found".
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "editor");
  throw redirect("/editor");
}

export async function action({ request }: ActionFunctionArgs) {
  const editor = await requireRole(request, "editor");
  const form = await request.formData();
  const scripted = form.get("js") === "1";
  const articleId = String(form.get("articleId") ?? "");
  const back = isUuid(articleId) ? `/editor/articles/${articleId}` : "/editor/articles/new";
  const file = form.get("image");
  const input = parseForm(form, ImageUploadForm);
  const refuse = (field: string, message: string) =>
    scripted ? Response.json({ ok: false, errors: { [field]: message } }, { status: 400 }) : redirectWithNotice(back, `The image was not uploaded: ${message}`);
  if (!input.ok) return refuse("alt", input.errors.alt ?? "Say what the image shows.");
  if (!(file instanceof File) || file.size === 0) return refuse("image", "Choose an image file to upload.");
  const result = await uploadImage({
    bytes: new Uint8Array(await file.arrayBuffer()),
    alt: input.data.alt,
    uploadedBy: editor.id,
  });
  if (!result.ok) return refuse(result.field, result.message);
  if (scripted) return Response.json({ ok: true, src: result.src, tag: result.tag });
  return redirectWithNotice(back, `Image uploaded. Put it in the article with: ${result.tag}`);
}
