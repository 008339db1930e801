// GET /images/<sha256>.<png|jpg|webp>: an article's screenshot. The address names the bytes, so
// it is cached for a year; nosniff (set on every response) keeps browsers to the stated type.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readImage } from "~/modules/kb";

export async function loader({ params }: LoaderFunctionArgs) {
  const image = await readImage(params.file ?? "");
  if (!image) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      "Content-Type": image.type,
      "Content-Length": String(image.bytes.length),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
