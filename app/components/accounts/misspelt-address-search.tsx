import { Form, Link } from "@remix-run/react";
import { Field } from "~/components/form";
import type { MisspeltSearchView } from "~/modules/accounts";

/**
 * "A badge sent to a misspelt address?": a GET form, so it works without JavaScript and the
 * answer has an address of its own (/my/badges?sentTo=…#misspelt-heading).
 */
export function MisspeltAddressSearch({ typed, view }: { typed: string; view: (MisspeltSearchView & { supportLink: string | null }) | null }) {
  return (
    <section aria-labelledby="misspelt-heading">
      <h2 id="misspelt-heading">A badge sent to a misspelt address?</h2>
      <Form method="get" action="/my/badges#misspelt-heading" noValidate className="card misspelt-search" role="search" aria-labelledby="misspelt-heading">
        <Field
          label="Address the badge was sent to"
          name="sentTo"
          type="email"
          autoComplete="off"
          defaultValue={typed}
          error={view?.error ?? undefined}
          hint="If an issuer mistyped your address (ana.suoza@… for ana.souza@…), enter the address they used. We show the badges there if it looks like a misspelling of one of your verified addresses and belongs to no account."
        />
        <button type="submit" className="button button--quiet">
          Look for badges
        </button>
      </Form>
      {view?.message ? (
        <div className="misspelt-search__answer" role="status">
          <p>{view.message}</p>
          {view.badges.length > 0 ? (
            <ul className="badge-list">
              {view.badges.map((badge) => (
                <li key={badge.id} className="badge-card badge-card--warn">
                  <strong>{badge.badgeName}</strong> from {badge.issuerName}, issued {badge.issuedOn}
                </li>
              ))}
            </ul>
          ) : null}
          {view.supportLink ? (
            <p>
              <Link className="button" to={view.supportLink}>
                Contact Customer Care
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
