import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { getViewer, hasRole, popNotice } from "~/modules/auth";
import { SearchBox } from "~/components/kb/search-box";
import { PathLink, PathLinks, PathNavLink } from "~/components/path-link";
import { config } from "~/lib/config.server";
import { useNonce } from "~/lib/nonce";
import stylesheet from "~/styles/app.css?url";
import { useEffect } from "react";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }, { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

export const meta: MetaFunction = () => [
  { title: "badgedesk — help for your badges" },
  { name: "description", content: "Answers and Customer Care for your digital badges and backpack." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [viewer, { notice, setCookie }] = await Promise.all([getViewer(request), popNotice(request)]);
  const nav = viewer
    ? { name: viewer.name, isAgent: hasRole(viewer, "agent"), isEditor: hasRole(viewer, "editor"), isAdmin: hasRole(viewer, "admin") }
    : null;
  return data({ viewer: nav, notice, devMailboxOpen: config.devMailboxOpen }, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
}

export type RootLoader = typeof loader;

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const root = useRouteLoaderData<RootLoader>("root");
  const viewer = root?.viewer ?? null;
  // Marks the page as interactive once React has hydrated it: before that a click submits the
  // plain HTML form. Browser tests wait for it so they test the scripted path they mean to.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <PathLinks>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          {root?.devMailboxOpen ? (
            <p className="dev-banner" role="note">
              Development setup: mail is not sent, and <PathLink to="/dev/mailbox">the development mailbox</PathLink> is open to anyone who can reach this
              site, password-reset links included. Don't use it for real accounts.
            </p>
          ) : null}
          <header className={viewer?.isAgent || viewer?.isEditor || viewer?.isAdmin ? "site-header site-header--staff" : "site-header"}>
            <div className="site-header__inner">
              <PathLink to="/" className="brand">
                <span aria-hidden="true" className="brand__mark">◆</span> badgedesk
              </PathLink>
              <div className="site-header__search">
                <SearchBox size="header" />
              </div>
              {/* One set of links for every width (rendered once per page): wide screens show them in the
                  bar; narrow ones hide them behind the Menu toggle, a <details> so it needs no JavaScript,
                  and app.css shows them as the menu's panel while it is open. */}
              <details className="site-menu">
                <summary className="site-menu__toggle">Menu</summary>
              </details>
              <div className="site-header__links" onClick={closeMenuAfterChoice}>
                <SiteLinks viewer={viewer} />
              </div>
            </div>
          </header>
          {root?.notice ? (
            <div className="notice" role="status">
              {root.notice}
            </div>
          ) : null}
          <main id="main" className="page">
            {children}
          </main>
          <footer className="site-footer">
            <p>badgedesk — Customer Care for your digital badges.</p>
          </footer>
          <ScrollRestoration nonce={nonce} />
          <Scripts nonce={nonce} />
        </PathLinks>
      </body>
    </html>
  );
}

type HeaderViewer = { name: string; isAgent: boolean; isEditor: boolean; isAdmin: boolean } | null;

function SiteLinks({ viewer }: { viewer: HeaderViewer }) {
  return (
    <>
      <nav aria-label="Main" className="site-nav">
        <PathNavLink to="/tickets/new">Submit a ticket</PathNavLink>
        <PathNavLink to="/tickets" end>
          My tickets
        </PathNavLink>
        {viewer ? <PathNavLink to="/my/badges">My badges</PathNavLink> : null}
        {viewer ? <PathNavLink to="/my/profile">My profile</PathNavLink> : null}
        {viewer?.isAgent ? <PathNavLink to="/agent">Agent desk</PathNavLink> : null}
        {viewer?.isEditor ? <PathNavLink to="/editor">Editor</PathNavLink> : null}
        {viewer?.isAdmin ? <PathNavLink to="/admin/roles">Roles</PathNavLink> : null}
      </nav>
      <div className="site-account">
        {viewer ? (
          <>
            <span className="site-account__name">{viewer.name}</span>
            <Form method="post" action="/logout">
              <button type="submit" className="button button--quiet">
                Log out
              </button>
            </Form>
          </>
        ) : (
          <>
            <PathLink to="/login">Log in</PathLink>
            <PathLink to="/signup" className="button button--small">
              Sign up
            </PathLink>
          </>
        )}
      </div>
    </>
  );
}

/** With JavaScript, a link followed inside the menu doesn't reload the page, so the menu closes itself. */
function closeMenuAfterChoice(event: React.MouseEvent<HTMLElement>) {
  if ((event.target as HTMLElement).closest("a, button")) event.currentTarget.parentElement?.querySelector("details.site-menu")?.removeAttribute("open");
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <section className="error-page">
          <h1>We couldn't find that page</h1>
          <p>The link may be old or mistyped. Search for what you need with the box at the top of the page, or go back to the start.</p>
          <p>
            <Link to="/">Go to the help center</Link> · <Link to="/tickets/new">Submit a ticket</Link>
          </p>
        </section>
      );
    }
    if (error.status === 403) {
      return (
        <section className="error-page">
          <h1>You don't have access to this page</h1>
          <p>It is for Customer Care staff. If you think you should have access, ask an administrator.</p>
          <p>
            <Link to="/">Go to the help center</Link>
          </p>
        </section>
      );
    }
    if (error.status === 410) {
      return (
        <section className="error-page">
          <h1>This article was removed</h1>
          <p>It no longer applies. Search for what you need with the box at the top of the page, or browse the help center.</p>
          <p>
            <Link to="/">Go to the help center</Link> · <Link to="/tickets/new">Submit a ticket</Link>
          </p>
        </section>
      );
    }
    if (error.status === 503) return <Unavailable />;
  }
  return (
    <section className="error-page">
      <h1>Something went wrong on our side</h1>
      <p>We have logged the problem. Please try again in a moment; nothing you sent has been lost.</p>
      <p>
        <Link to="/">Go to the help center</Link>
      </p>
    </section>
  );
}

function Unavailable() {
  return (
    <section className="error-page">
      <h1>badgedesk is temporarily unavailable</h1>
      <p>We can't reach our database right now. Please try again in a minute.</p>
    </section>
  );
}
