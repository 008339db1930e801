import { Fragment } from "react";
import { MessageText } from "./ticket-display";

export interface AttachmentView {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  inline: boolean;
  url: string;
}

const INLINE_MARK = /(\[image: [^\]\n]{1,200}\])/;

/**
 * A message's text with its attachments: an inline image (from an email's cid: picture) is shown
 * where the text said "[image: name]"; every other file is listed below as a download.
 */
export function MessageWithAttachments({ text, attachments }: { text: string; attachments: AttachmentView[] }) {
  const unplaced = [...attachments];
  const take = (filename: string) => {
    const index = unplaced.findIndex((a) => a.inline && a.filename === filename);
    return index < 0 ? null : unplaced.splice(index, 1)[0];
  };
  const parts = attachments.some((a) => a.inline) ? text.split(INLINE_MARK) : [text];
  return (
    <>
      {parts.map((part, i) => {
        if (i % 2 === 0) return part ? <MessageText key={i} text={part} /> : null;
        const image = take(part.slice("[image: ".length, -1));
        return image ? (
          <figure key={i} className="message-image">
            <a href={image.url}>
              <img src={image.url} alt={image.filename} loading="lazy" />
            </a>
          </figure>
        ) : (
          <Fragment key={i}>
            <MessageText text={part} />
          </Fragment>
        );
      })}
      {/* Pictures attached (not placed in the text) are shown below it, like a mail program does. */}
      {unplaced.filter(isImage).map((image) => (
        <figure key={image.id} className="message-image">
          <a href={image.url}>
            <img src={image.url} alt={image.filename} loading="lazy" />
          </a>
          <figcaption className="muted">{image.filename}</figcaption>
        </figure>
      ))}
      {unplaced.some((a) => !isImage(a)) ? (
        <ul className="message-attachments" aria-label="Attachments">
          {unplaced.filter((a) => !isImage(a)).map((a) => (
            <li key={a.id}>
              <a href={a.url} download={a.filename}>
                {a.filename}
              </a>{" "}
              <span className="muted">({sizeInWords(a.sizeBytes)})</span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

const isImage = (a: AttachmentView) => a.contentType.startsWith("image/");

export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
