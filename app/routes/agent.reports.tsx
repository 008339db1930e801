import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDay } from "~/lib/dates";
import { requireRoleOrNotFound } from "~/modules/auth";
import { weeklyCsat } from "~/modules/tickets";

export const meta: MetaFunction = () => [{ title: "Reports · Agent desk · badgedesk" }];

const WEEKS = 8;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  return { weeks: await weeklyCsat({ weeks: WEEKS }) };
}

export default function AgentReports() {
  const { weeks } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/agent">← Agent desk</Link>
      </p>
      <h1>Reports</h1>
      <section aria-labelledby="csat-heading">
        <h2 id="csat-heading">Customer satisfaction (CSAT) per week</h2>
        <p className="muted">
          Requesters rate a resolved ticket Good or Bad (“How did we do?”). CSAT is the share of Good among the ratings given that week (Monday to
          Sunday, UTC), counting a changed rating once, in the week of its latest change. The last {WEEKS} weeks; weeks without a rating are left out.
        </p>
        {weeks.length === 0 ? (
          <p className="card">No ratings in the last {WEEKS} weeks.</p>
        ) : (
          <table className="data">
            <caption className="visually-hidden">CSAT per week</caption>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col">Good</th>
                <th scope="col">Bad</th>
                <th scope="col">CSAT</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((week) => (
                <tr key={week.weekOf}>
                  <th scope="row">{formatDay(week.weekOf)}</th>
                  <td>{week.good}</td>
                  <td>{week.bad}</td>
                  <td>{week.share === null ? "—" : `${week.share}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
