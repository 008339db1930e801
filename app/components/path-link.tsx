import { useLocation, useNavigate, useNavigation, useSubmit, type SubmitFunction } from "@remix-run/react";
import { createContext, forwardRef, useCallback, useContext, useMemo, type AnchorHTMLAttributes, type FormEvent, type FormHTMLAttributes, type MouseEvent, type ReactNode } from "react";

// Links and forms to a path of this site, for what every page or a long list renders (the queue
// has 40 links or more). Remix's <Link>, <NavLink> and <Form> resolve their path against the
// route tree and build their own click or submit handler, about a dozen hooks each: 14 % of a
// queue page's server CPU went to its links (BENCHMARKS.md, speed round 5). A path that starts
// with "/" has nothing to resolve, and one click handler and one submit function for the whole
// page (from <PathLinks>, in the root layout) do what theirs do. The markup is theirs,
// `data-discover` included; without JavaScript they are a plain link and a plain form.

/** A path on this site, with its query string: "/agent/tickets/…", "/agent?view=mine". */
export type SitePath = `/${string}`;

type Follow = (event: MouseEvent<HTMLAnchorElement>) => void;
/** The click handler, and for PathNavLink the path shown and the one being navigated to. */
const PathLinksContext = createContext<{ follow: Follow; submit: SubmitFunction; pathname: string; nextPathname: string | null } | null>(null);

/** Gives the PathLinks inside it their click handler: one router navigation, as <Link> makes. */
export function PathLinks({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const submit = useSubmit();
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
  const value = useMemo(() => ({ follow, submit, pathname, nextPathname }), [follow, submit, pathname, nextPathname]);
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

type PathFormProps = Omit<FormHTMLAttributes<HTMLFormElement>, "action" | "method"> & { action: SitePath; method: "get" | "post" };

/** <Form method action="/…"> for a path of this site: the same markup and submission through the router, without resolving the action. */
export const PathForm = forwardRef<HTMLFormElement, PathFormProps>(function PathForm({ action, method, onSubmit, ...rest }, ref) {
  const submit = useContext(PathLinksContext)?.submit;
  // What <Form> does on submit: the form's own handler first, then the router (unless prevented).
  const submitThroughRouter = (event: FormEvent<HTMLFormElement>) => {
    onSubmit?.(event);
    if (event.defaultPrevented || !submit) return;
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | HTMLInputElement | null;
    submit(submitter ?? event.currentTarget, { method: (submitter?.getAttribute("formmethod") as "get" | "post" | null) || method });
  };
  return <form ref={ref} method={method} action={action} onSubmit={submitThroughRouter} {...rest} data-discover="true" />;
});
