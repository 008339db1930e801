import { useLocation, useNavigate, useNavigation } from "@remix-run/react";
import { createContext, useCallback, useContext, useMemo, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from "react";

// Links to paths of this site, for the header (on every page) and pages with many links (the
// queue has 40 or more). Remix's <Link> and <NavLink> resolve `to` against the route tree and
// build their own click handler, about a dozen hooks per link: 14 % of a queue page's server CPU
// went to its links (BENCHMARKS.md, speed round 5, render path). A path that starts with "/" has
// nothing to resolve, and one click handler for the whole page (from <PathLinks>, in the root
// layout) does what <Link>'s does. The markup is theirs, `data-discover` included; without
// JavaScript it is a plain link.

/** A path on this site, with its query string: "/agent/tickets/…", "/agent?view=mine". */
export type SitePath = `/${string}`;

type Follow = (event: MouseEvent<HTMLAnchorElement>) => void;
/** The click handler, and for PathNavLink the path shown and the one being navigated to. */
const PathLinksContext = createContext<{ follow: Follow; pathname: string; nextPathname: string | null } | null>(null);

/** Gives the PathLinks inside it their click handler: one router navigation, as <Link> makes. */
export function PathLinks({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const { pathname, search, hash } = useLocation();
  const nextPathname = useNavigation().location?.pathname ?? null;
  const here = pathname + search + hash;
  const follow = useCallback<Follow>(
    (event) => {
      // What <Link> leaves to the browser: another button, a modifier key (new tab or window,
      // download), another target, or a handler of the link's own that prevented it.
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
      const target = event.currentTarget.getAttribute("target");
      if (target && target !== "_self") return;
      const href = event.currentTarget.getAttribute("href")!;
      event.preventDefault();
      // As <Link>: following a link to the page one is on replaces its history entry.
      navigate(href, { replace: href === here });
    },
    [navigate, here],
  );
  const value = useMemo(() => ({ follow, pathname, nextPathname }), [follow, pathname, nextPathname]);
  return <PathLinksContext.Provider value={value}>{children}</PathLinksContext.Provider>;
}

type PathLinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: SitePath };

/** <Link to="/…"> for a path of this site (not "//host…"): the same markup and navigation, without resolving the path. */
export function PathLink({ to, onClick, ...rest }: PathLinkProps) {
  const follow = useContext(PathLinksContext)?.follow;
  if (to.startsWith("//")) throw new Error(`PathLink is for paths of this site, not ${to}`);
  const handleClick =
    onClick && follow
      ? (event: MouseEvent<HTMLAnchorElement>) => {
          onClick(event);
          follow(event);
        }
      : (onClick ?? follow ?? undefined);
  return <a {...rest} data-discover="true" href={to} onClick={handleClick} />;
}

/**
 * <NavLink to="/…"> for a path of this site: the same markup (aria-current="page" and the class
 * "active" while the page shown is at or under the path, exactly it with `end`; "pending" while
 * navigating there) and navigation, without resolving the path.
 */
export function PathNavLink({ to, end = false, children }: { to: SitePath; end?: boolean; children: ReactNode }) {
  const state = useContext(PathLinksContext);
  // NavLink compares paths without the query string, ignoring case.
  const toPathname = to.replace(/[?#].*$/, "").toLowerCase();
  const under = (pathname: string | null | undefined, slashAt: number) => {
    if (pathname == null) return false;
    const at = pathname.toLowerCase();
    return at === toPathname || (!end && at.startsWith(toPathname) && at.charAt(slashAt) === "/");
  };
  // For the page shown, a trailing slash in `to` is the spot to look at, otherwise a slash after it (as NavLink).
  const active = under(state?.pathname, toPathname !== "/" && toPathname.endsWith("/") ? toPathname.length - 1 : toPathname.length);
  const pending = under(state?.nextPathname, toPathname.length);
  return (
    <a data-discover="true" aria-current={active ? "page" : undefined} className={[active ? "active" : "", pending ? "pending" : ""].filter(Boolean).join(" ")} href={to} onClick={state?.follow}>
      {children}
    </a>
  );
}
