import { config } from "~/lib/config.server";
import { CATEGORIES, cacheControl, listLiveArticles } from "~/modules/kb";

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

export async function loader() {
  const articles = await listLiveArticles();
  const urls = [
    { loc: "/", lastmod: null as string | null },
    { loc: "/faq", lastmod: null },
    ...CATEGORIES.map((c) => ({ loc: `/faq/${c.slug}`, lastmod: null })),
    ...articles.map((a) => ({ loc: a.url, lastmod: a.updatedOn })),
  ];
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls
    .map((u) => `  <url><loc>${escapeXml(config.appUrl + u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ""}</url>`)
    .join("\n")}\n</urlset>\n`;
  return new Response(body, { headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": cacheControl.SITEMAP } });
}
