import { Link } from "@remix-run/react";
import type { ArticleStatus } from "~/modules/kb";

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  published: "Published",
  draft: "Published, with a draft",
  unpublished: "Draft, never published",
  archived: "Archived",
};

/** The editor's own menu: articles and insights. */
export function EditorNav({ current }: { current: "articles" | "insights" }) {
  return (
    <nav aria-label="Editor" className="editor-nav">
      <Link to="/editor" aria-current={current === "articles" ? "page" : undefined}>
        Articles
      </Link>
      <Link to="/editor/insights" aria-current={current === "insights" ? "page" : undefined}>
        Insights
      </Link>
    </nav>
  );
}
