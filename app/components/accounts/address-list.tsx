import { Link } from "@remix-run/react";
import type { AddressView } from "~/modules/accounts/my-badges";
import { ticketFormLink } from "~/modules/tickets/ticket-rules";
import { ActionButton } from "./action-form";
import type { ActionProblem } from "./finding-details";

/** The account's addresses with what each brings in and what can be done with it. */
export function AddressList({ addresses, problem }: { addresses: AddressView[]; problem?: ActionProblem | null }) {
  const primaryBlocked = addresses.some((a) => a.primary) && addresses.filter((a) => a.kind === "own").length > 1;
  return (
    <>
      <table className="data address-table">
        <caption className="visually-hidden">Email addresses on your account</caption>
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Status</th>
            <th scope="col">Badges</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {addresses.map((address) => (
            <AddressRow key={address.id} address={address} problem={problem?.target === address.id ? problem : null} />
          ))}
        </tbody>
      </table>
      {primaryBlocked ? (
        <p className="muted address-table__note">Your primary address can't be removed; make another verified address primary first.</p>
      ) : null}
    </>
  );
}

function AddressRow({ address, problem }: { address: AddressView; problem: ActionProblem | null }) {
  const errorId = `address-${address.id}-error`;
  const describedBy = problem ? errorId : undefined;
  return (
    <tr>
      <td className="address-table__email">{address.email}</td>
      <td>
        <Status address={address} />
      </td>
      <td>
        <BadgeCounts address={address} />
      </td>
      <td>
        <div className="address-table__actions">
          {address.canSendLink ? (
            <ActionButton intent="send-link" emailId={address.id} label={`Send a verification link to ${address.email}`} busyLabel="Sending…" describedBy={describedBy}>
              Send a verification link
            </ActionButton>
          ) : null}
          {address.canMakePrimary ? (
            <ActionButton intent="make-primary" emailId={address.id} label={`Make ${address.email} primary`} busyLabel="Saving…" describedBy={describedBy} quiet>
              Make primary
            </ActionButton>
          ) : null}
          {address.canRemove ? (
            <Link to={`/my/badges/addresses/${address.id}/remove`} className="button button--small button--quiet" aria-label={`Remove ${address.email}`}>
              Remove
            </Link>
          ) : null}
          {address.kind === "claim_taken" ? (
            <ActionButton intent="cancel-move" emailId={address.id} label={`Dismiss ${address.email}`} busyLabel="Dismissing…" describedBy={describedBy} quiet>
              Dismiss
            </ActionButton>
          ) : null}
          {address.linkSentOn ? <p className="address-table__sent">Link sent {address.linkSentOn}</p> : null}
          {address.misspeltOf && address.confirmTicket ? (
            <p className="address-table__misspelt">
              This looks like a misspelling of {address.misspeltOf}: nobody can receive mail there, so a link can't reach you. Customer Care confirms
              such an address.{" "}
              <Link to={ticketFormLink(address.confirmTicket)}>Ask Customer Care to confirm {address.email}</Link>
            </p>
          ) : null}
          {problem ? (
            <p className="field__error" id={errorId}>
              {problem.message}
            </p>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

function Status({ address }: { address: AddressView }) {
  if (address.kind === "claim_taken") {
    return (
      <>
        <span className="tag tag--bad">Verified on another account</span>
        <p className="address-table__hint">
          It was verified on another account before you opened the link, so it wasn't added here.{" "}
          <Link to="/faq/account-and-email/merge-two-accounts">If that account is yours too, merge them</Link>.
        </p>
      </>
    );
  }
  return (
    <>
      {address.verified ? <span className="tag tag--ok">Verified</span> : <span className="tag tag--warn">Not verified</span>}
      {address.primary ? (
        <>
          {" "}
          <span className="tag">Primary</span>
        </>
      ) : null}
    </>
  );
}

function BadgeCounts({ address }: { address: AddressView }) {
  const parts: string[] = [];
  if (address.backpackCount > 0) parts.push(`${address.backpackCount} in your backpack`);
  if (address.mayHaveBadgesWaiting) parts.push("Badges may be waiting: verify the address to see them");
  if (parts.length === 0) return <span className="muted">None</span>;
  return <>{parts.join(", ")}</>;
}
