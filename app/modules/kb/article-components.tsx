// The only components an article can render (see ARTICLE_COMPONENTS in article-rules.ts). They are
// rendered once per revision on the server into static HTML; none of them runs in the browser.
import type { ReactNode } from "react";

const CALLOUT_LABELS = { info: "Note", tip: "Tip", warning: "Warning" } as const;

function Callout({ type = "info", title, children }: { type?: keyof typeof CALLOUT_LABELS; title?: string; children?: ReactNode }) {
  const kind = type in CALLOUT_LABELS ? type : "info";
  return (
    <div className={`callout callout--${kind}`} role="note">
      <p className="callout__label">{title ?? CALLOUT_LABELS[kind]}</p>
      {children}
    </div>
  );
}

function Steps({ children }: { children?: ReactNode }) {
  return <ol className="steps">{children}</ol>;
}

function Step({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <li className="step">
      <p className="step__title">{title}</p>
      {children}
    </li>
  );
}

function Kbd({ children }: { children?: ReactNode }) {
  return <kbd>{children}</kbd>;
}

function Screenshot({ src, alt, caption }: { src: string; alt: string; caption?: string }) {
  return (
    <figure className="screenshot">
      <img src={src} alt={alt} loading="lazy" />
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

function Link({ href = "", children, ...rest }: { href?: string; children?: ReactNode }) {
  const external = /^https?:\/\//i.test(href);
  return (
    <a href={href} {...rest} {...(external ? { rel: "noopener noreferrer" } : {})}>
      {children}
    </a>
  );
}

export const articleComponents = { Callout, Steps, Step, Kbd, Screenshot, a: Link };
