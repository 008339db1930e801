import type { MetaFunction } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "badgedesk — help for your badges" }];

export default function Home() {
  return (
    <>
      <h1>How can we help?</h1>
      <p className="lead">Answers about your badges, your backpack and your account — and Customer Care when you need a person.</p>
      <Form method="get" action="/search" role="search" className="card">
        <div className="field">
          <label htmlFor="home-search">Search the help center</label>
          <input id="home-search" name="q" type="search" placeholder="e.g. my badge is not in my backpack" />
        </div>
        <button type="submit" className="button">
          Search
        </button>
      </Form>
      <p>
        Can't find it? <Link to="/tickets/new">Submit a ticket</Link>.
      </p>
    </>
  );
}
