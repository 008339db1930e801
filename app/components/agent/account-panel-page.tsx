// What the two account pages (/agent/accounts?q= and /agent/accounts/<id>) share: the search box
// and the refusal shown at the top of the page.
import { Form } from "@remix-run/react";

export function AccountSearchForm({ query, ticketId }: { query: string; ticketId: string | null }) {
  return (
    <Form method="get" action="/agent/accounts" role="search" className="card account-search">
      <div className="field">
        <label htmlFor="account-q">Find an account</label>
        <p className="field__hint" id="account-q-hint">
          Any address (verified or not, any case), part of a name, or an account or award id.
        </p>
        <div className="account-search__row">
          <input id="account-q" name="q" type="search" defaultValue={query} aria-describedby="account-q-hint" maxLength={200} />
          {ticketId ? <input type="hidden" name="ticket" value={ticketId} /> : null}
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </div>
    </Form>
  );
}
