import { Link } from "@remix-run/react";

export function StillNeedHelp({ articleSlug }: { articleSlug?: string }) {
  return (
    <section className="still-need-help" aria-labelledby="still-need-help-title">
      <h2 id="still-need-help-title">Still need help?</h2>
      <p>Customer Care can look at your account and your badges with you.</p>
      <Link className="button" to={articleSlug ? `/tickets/new?article=${encodeURIComponent(articleSlug)}` : "/tickets/new"}>
        Submit a ticket
      </Link>
    </section>
  );
}
