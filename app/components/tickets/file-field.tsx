import { useEffect, useRef, useState } from "react";
import { FieldFrame } from "~/components/form";
import { ACCEPTED_FILES, ALLOWED_IN_WORDS, checkFiles, megabytes, type AttachmentLimits } from "~/modules/attachments/file-types";
import { sizeInWords } from "./attachments";

// The file input of the ticket form, the reply and the agent's composer. Without JavaScript it is
// a plain multiple file input (the server checks and answers beside it). With JavaScript it lists
// the chosen files with their sizes, says at once which one the server would refuse (same rules,
// read from the bytes), lets one be removed, and keeps a refused choice from being sent.

interface Chosen {
  file: File;
  problem: string | null;
}

export function FileField({
  id,
  label = "Attach files (optional)",
  limits,
  error,
  lostFiles,
}: {
  id: string;
  label?: string;
  limits: AttachmentLimits;
  /** The server's refusal: nothing was kept, so the input starts empty again. */
  error?: string;
  /** Files posted with a form that came back (an error elsewhere, "Find answers first"): a browser can't put them back. */
  lostFiles?: string[];
}) {
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);

  // A refusal from the server: the files in the input are the refused ones; start again.
  useEffect(() => {
    if (!error || !input.current) return;
    input.current.value = "";
    setChosen([]);
  }, [error]);

  // A choice the server would refuse is not sent: the learner gets the reason without the wait.
  useEffect(() => {
    const form = input.current?.form;
    if (!form) return;
    const refuse = (event: Event) => {
      if (!chosen.some((c) => c.problem)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      input.current?.focus();
    };
    form.addEventListener("submit", refuse);
    return () => form.removeEventListener("submit", refuse);
  }, [chosen]);

  async function look(files: File[]) {
    // Only the start of a file over the limit is read: its size alone refuses it.
    const heads = await Promise.all(files.map(async (file) => new Uint8Array(await file.slice(0, file.size > limits.maxFileBytes ? 16 : file.size).arrayBuffer())));
    const verdicts = checkFiles(
      files.map((file, i) => ({ filename: file.name, bytes: heads[i], sizeBytes: file.size > limits.maxFileBytes ? file.size : undefined })),
      limits,
    );
    setChosen(files.map((file, i) => ({ file, problem: verdicts[i].ok ? null : (verdicts[i] as { problem: string }).problem })));
  }

  function remove(index: number) {
    if (!input.current) return;
    const kept = new DataTransfer();
    chosen.forEach((c, i) => i !== index && kept.items.add(c.file));
    input.current.files = kept.files;
    void look(Array.from(kept.files));
  }

  const problems = chosen.filter((c) => c.problem).length;
  const showLost = lostFiles && lostFiles.length > 0 && !error && chosen.length === 0;
  const afterId = [showLost ? `${id}-lost` : null, live ? `${id}-chosen` : null].filter(Boolean).join(" ");
  return (
    <FieldFrame
      id={id}
      label={label}
      error={error}
      className="file-field"
      invalid={problems > 0}
      hint={
        <>
          {ALLOWED_IN_WORDS}; at most {megabytes(limits.maxFileBytes)} each and {megabytes(limits.maxMessageBytes)} together.
        </>
      }
      afterId={afterId}
      after={
        <>
          {live ? (
            <div id={`${id}-chosen`} aria-live="polite">
              {chosen.length > 0 ? (
                <ul className="file-field__list" aria-label="Files to send">
                  {chosen.map((c, i) => (
                    <li key={`${c.file.name}-${i}`} className={c.problem ? "file-field__item file-field__item--refused" : "file-field__item"}>
                      <span className="file-field__what">
                        <span className="file-field__name">{c.file.name}</span> <span className="muted">({sizeInWords(c.file.size)})</span>
                      </span>
                      {c.problem ? <span className="field__error file-field__problem">{c.problem} Remove it or choose another file.</span> : null}
                      <button type="button" className="button button--small button--quiet" onClick={() => remove(i)}>
                        Remove<span className="visually-hidden"> {c.file.name}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          {showLost ? (
            <p className="field__hint file-field__lost" id={`${id}-lost`} role="status">
              You had chosen {lostFiles.join(", ")}. A page can't keep files when it comes back, so choose {lostFiles.length === 1 ? "the file" : "the files"} again before sending.
            </p>
          ) : null}
        </>
      }
    >
      {(describedBy) => (
        <input
          ref={input}
          id={id}
          type="file"
          name="files"
          multiple
          accept={ACCEPTED_FILES}
          aria-invalid={error || problems ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => void look(Array.from(e.currentTarget.files ?? []))}
        />
      )}
    </FieldFrame>
  );
}
