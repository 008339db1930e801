import { useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";

type UploadAnswer = { ok: true; src: string; tag: string } | { ok: false; errors: Record<string, string> };

const MAX_BYTES = 2 * 1024 * 1024;

/**
 * Upload a screenshot: PNG, JPEG or WebP up to 2 MB, with its description. With JavaScript the
 * <Screenshot> component is put into the article where the cursor was; without, the page comes
 * back with the component to paste.
 */
export function ImageUpload({ articleId, onUploaded }: { articleId: string | null; onUploaded: (tag: string) => void }) {
  const fetcher = useFetcher<UploadAnswer>();
  const [scripted, setScripted] = useState(false);
  const [tooBig, setTooBig] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const handled = useRef<UploadAnswer | null>(null);
  useEffect(() => setScripted(true), []);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data && handled.current !== fetcher.data) {
      handled.current = fetcher.data;
      if (fetcher.data.ok) {
        onUploaded(fetcher.data.tag);
        formRef.current?.reset();
      }
    }
  }, [fetcher.state, fetcher.data, onUploaded]);
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const imageError = tooBig ?? errors.image;
  return (
    <fetcher.Form
      method="post"
      action="/editor/images"
      encType="multipart/form-data"
      className="card editor-upload"
      ref={formRef}
      aria-labelledby="upload-title"
      onSubmit={(event) => {
        const file = (formRef.current?.elements.namedItem("image") as HTMLInputElement | null)?.files?.[0];
        if (file && file.size > MAX_BYTES) {
          event.preventDefault();
          setTooBig("That image is larger than 2 MB. Crop it or save it smaller, then upload it again.");
        } else setTooBig(null);
      }}
    >
      <h2 id="upload-title">Add a screenshot</h2>
      {scripted ? <input type="hidden" name="js" value="1" /> : null}
      <input type="hidden" name="articleId" value={articleId ?? ""} />
      <div className={`field${imageError ? " field--invalid" : ""}`}>
        <label htmlFor="upload-image">Image (PNG, JPEG or WebP, at most 2 MB)</label>
        <input id="upload-image" name="image" type="file" accept="image/png,image/jpeg,image/webp" aria-describedby={imageError ? "upload-image-error" : undefined} />
        {imageError ? (
          <p className="field__error" id="upload-image-error">
            {imageError}
          </p>
        ) : null}
      </div>
      <div className={`field${errors.alt ? " field--invalid" : ""}`}>
        <label htmlFor="upload-alt">What the image shows</label>
        <p className="field__hint" id="upload-alt-hint">
          Read out to readers who can't see it, e.g. “The Email addresses section with Verify next to an address”.
        </p>
        <input id="upload-alt" name="alt" type="text" maxLength={200} aria-describedby={`upload-alt-hint${errors.alt ? " upload-alt-error" : ""}`} />
        {errors.alt ? (
          <p className="field__error" id="upload-alt-error">
            {errors.alt}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button button--quiet" disabled={fetcher.state !== "idle"}>
        {fetcher.state !== "idle" ? "Uploading…" : scripted ? "Upload and insert" : "Upload"}
      </button>
      {fetcher.data?.ok ? (
        <p role="status" className="muted">
          Inserted <code>{fetcher.data.tag}</code> into the article.
        </p>
      ) : null}
    </fetcher.Form>
  );
}
