import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { parseForm } from "~/lib/forms";
import { AuditFilterInput, listAuditAgents, listAuditEntries } from "~/modules/audit";
import { AUDIT_ACTION_LABELS, describeChange } from "~/modules/audit/audit-filters";
import { requireRoleOrNotFound } from "~/modules/auth";
import agentAccountsStyles from "~/styles/agent-accounts.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: agentAccountsStyles }];
export const meta: MetaFunction = () => [{ title: "Audit log · Agent desk · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  const url = new URL(request.url);
  const form = new FormData();
  for (const [key, value] of url.searchParams) form.append(key, value);
  const filters = parseForm(form, AuditFilterInput);
  const agents = await listAuditAgents();
  if (!filters.ok) return { agents, values: filters.values, errors: filters.errors, rows: [], nextBefore: null, query: "" };
  const page = await listAuditEntries(filters.data);
  const query = new URLSearchParams([...url.searchParams].filter(([key]) => key !== "before")).toString();
  return { agents, values: filters.values, errors: {} as Record<string, string>, ...page, query };
}

const when = (at: Date | string) => new Date(at).toISOString().replace("T", " ").slice(0, 19) + " UTC";

export default function AuditLog() {
  const { agents, values, errors, rows, nextBefore, query } = useLoaderData<typeof loader>();
  const field = (name: string) => ({
    id: `audit-${name}`,
    name,
    defaultValue: values[name] ?? "",
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `audit-${name}-error` : undefined,
  });
  const error = (name: string) =>
    errors[name] ? (
      <p className="field__error" id={`audit-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  const invalid = (name: string) => `field${errors[name] ? " field--invalid" : ""}`;
  return (
    <div className="agent-audit">
      <h1>Audit log</h1>
      <p className="lead">Every account lookup and every agent action, newest first. Entries can't be changed or deleted.</p>
      <Form method="get" className="card">
        <div className="audit-filters">
          <div className={invalid("agent")}>
            <label htmlFor="audit-agent">Agent</label>
            <select {...field("agent")}>
              <option value="">Anyone</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
            {error("agent")}
          </div>
          <div className={invalid("account")}>
            <label htmlFor="audit-account">Account (address or id)</label>
            <input {...field("account")} />
            {error("account")}
          </div>
          <div className={invalid("ticket")}>
            <label htmlFor="audit-ticket">Ticket reference</label>
            <input {...field("ticket")} />
            {error("ticket")}
          </div>
          <div className={invalid("action")}>
            <label htmlFor="audit-action">Action</label>
            <select {...field("action")}>
              <option value="">Any action</option>
              {Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            {error("action")}
          </div>
          <div className={invalid("from")}>
            <label htmlFor="audit-from">From (day)</label>
            <input type="date" {...field("from")} />
            {error("from")}
          </div>
          <div className={invalid("to")}>
            <label htmlFor="audit-to">To (day, included)</label>
            <input type="date" {...field("to")} />
            {error("to")}
          </div>
        </div>
        <button type="submit" className="button">
          Filter
        </button>{" "}
        <Link to="/agent/audit" className="button button--quiet">
          Clear
        </Link>{" "}
        <a href={`/agent/audit.csv${query ? `?${query}` : ""}`} className="button button--quiet" download>
          Export CSV
        </a>
      </Form>

      {rows.length === 0 ? (
        <p role="status">{Object.keys(errors).length > 0 ? "Fix the filters above to see entries." : "No entries match."}</p>
      ) : (
        <div className="audit-table-wrap">
          <table className="data audit-table">
            <caption className="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Agent</th>
                <th scope="col">Action</th>
                <th scope="col">Account</th>
                <th scope="col">Ticket</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>{when(row.at)}</td>
                  <td>{row.actorName ?? "System"}</td>
                  <td>{row.actionLabel}</td>
                  <td>{row.accountId ? <Link to={`/agent/accounts/${row.accountId}`}>{row.accountName ?? row.accountId}</Link> : "—"}</td>
                  <td>{row.ticketId ? <Link to={`/agent/tickets/${row.ticketId}`}>{row.ticketReference ?? "ticket"}</Link> : "—"}</td>
                  <td>
                    {row.reason ? <p className="audit-table__reason">{row.reason}</p> : null}
                    {row.before != null || row.after != null ? (
                      <ul className="audit-table__changes">
                        {describeChange(row.before, row.after).map((line, i) => (
                          <li key={i}>{line}</li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore ? (
        <nav className="pager" aria-label="Pages">
          <Link to={`/agent/audit?${query ? `${query}&` : ""}before=${nextBefore}`}>Older entries →</Link>
        </nav>
      ) : null}
    </div>
  );
}
