import { Link } from "@remix-run/react";

export function ArticleList({ articles, headingLevel = 3 }: { articles: { slug: string; url: string; title: string; summary: string }[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="article-list">
      {articles.map((article) => (
        <li key={article.slug}>
          <Heading className="article-list__title">
            <Link to={article.url}>{article.title}</Link>
          </Heading>
          <p className="article-list__summary">{article.summary}</p>
        </li>
      ))}
    </ul>
  );
}
