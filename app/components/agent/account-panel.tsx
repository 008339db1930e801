// The account panel: beside a ticket and on /agent/accounts/<id>. Every action is a plain form
// posting to /agent/accounts/<id>, so it works without JavaScript; with it, the pressed button
// says what is happening and can't be pressed twice.
//
// The panel renders many forms (a few per address and award), so they are plain <form>s: the
// panel submits them through the router itself (one handler and one look at the navigation for
// all of them) instead of a Remix <Form> each, which resolves its action and reads the router's
// state per form on every render of the ticket page.
import { useNavigation, useSubmit } from "@remix-run/react";
import { PathLink } from "~/components/path-link";
import type { FormEvent, ReactNode } from "react";
import { FieldFrame } from "~/components/form";
import type { AccountPanelView, AgentActionButton, PanelAward, PanelFinding } from "~/modules/accounts/agent-panel";
import { actionKeyFor, type AgentActionIntent } from "~/modules/accounts/agent-action-schemas";

export interface PanelProblem {
  intent: string;
  target: string | null;
  message: string;
  field?: string;
}

export interface PanelTicket {
  id: string;
  reference: string;
  subject: string;
  status: string;
}

export interface AccountPanelProps {
  panel: AccountPanelView;
  /** Badges at the ticket's "address the badge was sent to" when no account holds it. */
  ticketAddress?: { email: string; awards: { id: string; badgeName: string; issuerName: string; issuedOn: string }[] } | null;
  otherTickets: PanelTicket[];
  /** The ticket the agent works on; without one every action asks for a written reason. */
  ticket: { id: string; reference: string } | null;
  /** One per rendered page: each form's action key is derived from it. */
  renderKey: string;
  /** Where to come back to after an action (the ticket or the account page). */
  returnTo: string;
  problem?: PanelProblem | null;
  values?: Record<string, string> | null;
  /** h2 on its own page; the ticket view's aside may want the same. */
  headingLevel?: 2 | 3;
}

interface FormContext {
  accountId: string;
  /** Where every form posts (the same for all of them). */
  action: string;
  /** The action key of the form being submitted now, if one of the panel's is. */
  busyKey: string | null;
  ticket: { id: string; reference: string } | null;
  renderKey: string;
  returnTo: string;
  problem: PanelProblem | null;
  values: Record<string, string> | null;
}

export function accountActionPath(accountId: string, ticketId: string | null): string {
  return `/agent/accounts/${accountId}${ticketId ? `?ticket=${ticketId}` : ""}`;
}

export function AccountPanel({ panel, ticketAddress = null, otherTickets, ticket, renderKey, returnTo, problem = null, values = null, headingLevel = 2 }: AccountPanelProps) {
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" ? navigation.formData?.get("actionKey") : null;
  const ctx: FormContext = {
    accountId: panel.account.id,
    action: accountActionPath(panel.account.id, ticket?.id ?? null),
    busyKey: typeof submitting === "string" ? submitting : null,
    ticket,
    renderKey,
    returnTo,
    problem,
    values,
  };
  const submit = useSubmit();
  // What a Remix <Form> does on submit, once for all the panel's forms.
  const onSubmit = (event: FormEvent<HTMLElement>) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    submit(submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement ? submitter : form, { method: "post" });
  };
  const H = headingLevel === 2 ? "h2" : "h3";
  const Sub = headingLevel === 2 ? "h3" : "h4";
  const primary = panel.addresses.find((a) => a.primary);
  return (
    <section className="account-panel" aria-labelledby="account-panel-heading" onSubmit={onSubmit}>
      <H id="account-panel-heading" className="account-panel__name">
        {panel.account.name}
        {panel.account.disabled ? (
          <>
            {" "}
            <span className="tag tag--bad">Disabled</span>
          </>
        ) : null}
      </H>
      <p className="account-panel__meta muted">
        {primary ? primary.email : "No primary address"} · <PathLink to={`/agent/accounts/${panel.account.id}`}>Account page</PathLink> ·{" "}
        <PathLink to={`/agent/audit?account=${panel.account.id}`}>Audit log</PathLink>
      </p>
      {ticket ? null : <p className="account-panel__no-ticket">No ticket: each action asks you to write down why you are doing it.</p>}

      <section aria-labelledby="panel-diagnosis">
        <Sub id="panel-diagnosis">Diagnosis</Sub>
        {ticketAddress ? (
          <div className="panel-finding panel-finding--warning panel-ticket-address">
            <p className="panel-finding__title">
              {ticketAddress.awards.length === 1 ? "A badge was" : `${ticketAddress.awards.length} badges were`} sent to {ticketAddress.email}, the address on the ticket
            </p>
            <p className="panel-finding__note">
              No account holds it: {ticketAddress.awards.map((a) => `${a.badgeName} (${a.issuerName}, ${a.issuedOn})`).join("; ")}. If it is this learner's misspelt address, add it
              here and mark it verified with evidence: nobody can receive mail there.
            </p>
            <div className="panel-actions">
              <ActionForm ctx={ctx} intent="add-email" target={`add:${ticketAddress.email}`} fields={{ email: ticketAddress.email }} busy="Adding…">
                Add {ticketAddress.email} to this account
              </ActionForm>
            </div>
            <ProblemFor ctx={ctx} target={`add:${ticketAddress.email}`} />
          </div>
        ) : null}
        {panel.findings.length === 0 ? (
          <p className="muted">Nothing wrong found on the account: every badge awarded to its addresses is in the backpack.</p>
        ) : (
          <ul className="panel-findings">
            {panel.findings.map((finding, index) => (
              <FindingItem key={`${finding.code}-${index}`} finding={finding} ctx={ctx} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="panel-addresses">
        <Sub id="panel-addresses">Addresses</Sub>
        <ul className="panel-list">
          {panel.addresses.map((address) => (
            <li key={address.id} className="panel-item">
              <p className="panel-item__title">
                <span className="panel-address">{address.email}</span>{" "}
                {address.kind !== "own" ? (
                  <span className="tag tag--warn">{address.kind === "claim" ? "Moving here, not verified" : "Verified on another account"}</span>
                ) : address.verified ? (
                  <span className="tag tag--ok">Verified</span>
                ) : (
                  <span className="tag tag--warn">Not verified</span>
                )}{" "}
                {address.primary ? <span className="tag">Primary</span> : null}
              </p>
              <p className="panel-item__meta">
                {`Added ${address.addedOn}${address.verifiedOn ? `, verified ${address.verifiedOn}` : ""} · ${address.awardCount} ${address.awardCount === 1 ? "award" : "awards"}`}
              </p>
              {address.undeliverable ? (
                <p className="panel-bounce">
                  <span className="tag tag--bad">Undeliverable</span> Mail to this address bounced for good on {address.undeliverable.since} ({address.undeliverable.status}
                  {address.undeliverable.reason ? `: ${address.undeliverable.reason}` : ""}); nothing more is sent to it. Check the address with the learner: a typo, or a
                  mailbox that was closed?
                </p>
              ) : null}
              <div className="panel-actions">
                {address.canSendLink ? (
                  <ActionForm ctx={ctx} intent="send-link" target={address.id} fields={{ emailId: address.id }} label={`Send a verification link to ${address.email}`} busy="Sending…">
                    Send verification link
                  </ActionForm>
                ) : null}
                {address.canMarkVerified ? <MarkVerifiedForm ctx={ctx} emailId={address.id} email={address.email} /> : null}
                {address.canMakePrimary ? (
                  <ActionForm ctx={ctx} intent="make-primary" target={address.id} fields={{ emailId: address.id }} label={`Make ${address.email} primary`} busy="Saving…" quiet>
                    Make primary
                  </ActionForm>
                ) : null}
                {address.canRemove ? (
                  <PathLink
                    to={`/agent/accounts/${panel.account.id}/addresses/${address.id}/remove${ctx.ticket ? `?ticket=${ctx.ticket.id}` : ""}`}
                    className="button button--small button--quiet"
                    aria-label={`Remove ${address.email}`}
                  >
                    Remove…
                  </PathLink>
                ) : null}
              </div>
              <ProblemFor ctx={ctx} target={address.id} />
            </li>
          ))}
        </ul>
        {panel.canAddAddress ? <AddAddressForm ctx={ctx} /> : <p className="muted">This account holds the most addresses allowed.</p>}
        <MoveAddressForm ctx={ctx} />
      </section>

      <section aria-labelledby="panel-awards">
        <Sub id="panel-awards">{`Awards (${panel.awards.length})`}</Sub>
        {panel.awards.length === 0 ? (
          <p className="muted">No awards to any of these addresses.</p>
        ) : (
          <ul className="panel-list">
            {panel.awards.map((award) => (
              <AwardItem key={award.id} award={award} ctx={ctx} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="panel-invitations">
        <Sub id="panel-invitations">Pathway invitations</Sub>
        {panel.invitations.length === 0 ? (
          <p className="muted">No pathway invitations.</p>
        ) : (
          <ul className="panel-list">
            {panel.invitations.map((invitation) => (
              <li key={invitation.id} className="panel-item">
                <p className="panel-item__title">
                  {invitation.pathwayName} <span className="muted">({invitation.issuerName})</span>{" "}
                  <span className={`tag${invitation.status === "pending" ? " tag--warn" : invitation.status === "accepted" ? " tag--ok" : ""}`}>{capitalise(invitation.status)}</span>
                </p>
                <p className="panel-item__meta">
                  To <span className="panel-address">{invitation.email}</span>, sent {invitation.sentOn}
                </p>
                {invitation.canResend ? (
                  <div className="panel-actions">
                    <ActionForm ctx={ctx} intent="resend-invitation" target={invitation.id} fields={{ invitationId: invitation.id }} label={`Resend the invitation to ${invitation.pathwayName}`} busy="Sending…">
                      Resend invitation
                    </ActionForm>
                  </div>
                ) : null}
                <ProblemFor ctx={ctx} target={invitation.id} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="panel-tickets">
        <Sub id="panel-tickets">{ticket ? "Other tickets" : "Tickets"}</Sub>
        {otherTickets.length === 0 ? (
          <p className="muted">{ticket ? "No other tickets." : "No tickets."}</p>
        ) : (
          <ul className="panel-tickets">
            {otherTickets.map((t) => (
              <li key={t.id}>
                <PathLink to={`/agent/tickets/${t.id}`}>{t.reference}</PathLink> {t.subject} <span className="tag">{capitalise(t.status)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

function FindingItem({ finding, ctx }: { finding: PanelFinding; ctx: FormContext }) {
  return (
    <li className={`panel-finding panel-finding--${finding.severity}`}>
      <p className="panel-finding__title">
        <span className="visually-hidden">{finding.severity === "problem" ? "Problem: " : finding.severity === "warning" ? "Warning: " : "Note: "}</span>
        {finding.title}
      </p>
      {finding.badges.length > 0 ? <p className="panel-finding__badges">{finding.badges.join(", ")}</p> : null}
      <p className="panel-finding__note">{finding.note}</p>
      {finding.actions.length > 0 ? (
        <div className="panel-actions">
          {finding.actions.map((action) => (
            <FindingAction key={`${action.kind}-${targetOf(action)}`} action={action} ctx={ctx} />
          ))}
        </div>
      ) : null}
    </li>
  );
}

function targetOf(action: AgentActionButton): string {
  if ("emailId" in action) return action.emailId;
  if ("awardId" in action) return action.awardId;
  if ("invitationId" in action) return action.invitationId;
  return action.email;
}

/** Finding actions that need more than a press jump to the form beside the thing they act on. */
function FindingAction({ action, ctx }: { action: AgentActionButton; ctx: FormContext }) {
  switch (action.kind) {
    case "send_verification_link":
      return (
        <ActionForm ctx={ctx} intent="send-link" target={action.emailId} fields={{ emailId: action.emailId }} busy="Sending…">
          {action.label}
        </ActionForm>
      );
    case "make_primary":
      return (
        <ActionForm ctx={ctx} intent="make-primary" target={action.emailId} fields={{ emailId: action.emailId }} busy="Saving…">
          {action.label}
        </ActionForm>
      );
    case "restore_award":
      return (
        <ActionForm ctx={ctx} intent="restore-award" target={action.awardId} fields={{ awardId: action.awardId }} busy="Restoring…">
          {action.label}
        </ActionForm>
      );
    case "resend_invitation":
      return (
        <ActionForm ctx={ctx} intent="resend-invitation" target={action.invitationId} fields={{ invitationId: action.invitationId }} busy="Sending…">
          {action.label}
        </ActionForm>
      );
    case "resend_award_notice":
      return (
        <ActionForm ctx={ctx} intent="resend-award-notice" target={action.awardId} fields={{ awardId: action.awardId }} busy="Sending…">
          {action.label}
        </ActionForm>
      );
    case "add_email":
      return (
        <ActionForm ctx={ctx} intent="add-email" target={`add:${action.email}`} fields={{ email: action.email }} busy="Adding…">
          {action.label}
        </ActionForm>
      );
    case "mark_verified":
      return (
        <a className="button button--small button--quiet" href={`#mark-verified-${action.emailId}`}>
          {action.label}
        </a>
      );
    case "move_address":
      return (
        <a className="button button--small button--quiet" href="#move-address">
          {action.label}
        </a>
      );
    case "ask_issuer":
      return (
        <a className="button button--small button--quiet" href={`#ask-issuer-${action.awardId}`}>
          {action.label}
        </a>
      );
    case "record_authorisation":
      return (
        <a className="button button--small button--quiet" href={`#record-authorisation-${action.awardId}`}>
          {action.label}
        </a>
      );
  }
}

function AwardItem({ award, ctx }: { award: PanelAward; ctx: FormContext }) {
  return (
    <li className={`panel-item panel-award panel-award--${award.tone}`}>
      <p className="panel-item__title">
        {`${award.badgeName} `}
        <span className="muted">{`(${award.issuerName})`}</span> <span className={`tag tag--${award.tone === "neutral" ? "plain" : award.tone}`}>{award.stateLabel}</span>
      </p>
      <p className="panel-item__meta">
        To <span className="panel-address">{award.recipientEmail}</span>
        {`${award.viaTypo ? " (a likely misspelling of an address here)" : ""}, issued ${award.issuedOn}${award.expiresOn ? `, expires ${award.expiresOn}` : ""} · `}
        <span className="panel-id">{`award ${award.id}`}</span>
      </p>
      {award.revocations.length > 0 ? (
        <div className="panel-history">
          <p className="panel-history__title">Revocation history</p>
          <ol>
            {award.revocations.map((r) => (
              <li key={r.id}>
                Revoked {r.revokedOn} by {r.revokedBy}: “{r.reason}”
                {r.reinstatement ? (
                  <>
                    {" "}
                    <strong>Reinstated</strong>, authorised by {r.reinstatement.authorisedBy}
                    {r.reinstatement.authorisedOn ? ` on ${r.reinstatement.authorisedOn}` : ""}, reference {r.reinstatement.reference} (recorded {r.reinstatement.recordedOn}).
                  </>
                ) : (
                  " (in force)."
                )}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <div className="panel-actions">
        {award.canRestore ? (
          <ActionForm ctx={ctx} intent="restore-award" target={award.id} fields={{ awardId: award.id }} label={`Restore ${award.badgeName} to the backpack`} busy="Restoring…">
            Restore to backpack
          </ActionForm>
        ) : null}
        {award.canResendNotice ? (
          <ActionForm ctx={ctx} intent="resend-award-notice" target={award.id} fields={{ awardId: award.id }} label={`Resend the award notice for ${award.badgeName}`} busy="Sending…" quiet>
            Resend award notice
          </ActionForm>
        ) : null}
      </div>
      {award.revoked ? <IssuerHandOff award={award} ctx={ctx} /> : null}
      <ProblemFor ctx={ctx} target={award.id} />
    </li>
  );
}

function IssuerHandOff({ award, ctx }: { award: PanelAward; ctx: FormContext }) {
  const askOpen = ctx.problem?.intent === "ask-issuer" && ctx.problem.target === award.id;
  const recordOpen = ctx.problem?.intent === "record-authorisation" && ctx.problem.target === award.id;
  return (
    <div className="panel-handoff">
      <details open={askOpen || undefined}>
        <summary>Ask the issuer</summary>
        <ActionFormBody id={`ask-issuer-${award.id}`} ctx={ctx} intent="ask-issuer" target={award.id} fields={{ awardId: award.id }} submit="Email the issuer" busy="Sending…">
          <p className="field__hint">
            {award.issuerName} gets a templated email with the award, the revocation reason and the learner's request{ctx.ticket ? "; the ticket goes to pending, waiting for the issuer" : ""}.
          </p>
          <TextField ctx={ctx} intent="ask-issuer" target={award.id} name="note" label="Add to the learner's request (optional)" multiline required={false} />
        </ActionFormBody>
      </details>
      <details open={recordOpen || undefined}>
        <summary>Record issuer's authorisation</summary>
        <ActionFormBody id={`record-authorisation-${award.id}`} ctx={ctx} intent="record-authorisation" target={award.id} fields={{ awardId: award.id }} submit="Reinstate the badge" busy="Saving…">
          <TextField ctx={ctx} intent="record-authorisation" target={award.id} name="authorisedBy" label="Authorised by (name and role)" />
          <TextField ctx={ctx} intent="record-authorisation" target={award.id} name="authorisedOn" label="Date of the authorisation" type="date" />
          <TextField ctx={ctx} intent="record-authorisation" target={award.id} name="reference" label="Issuer's reference" />
        </ActionFormBody>
      </details>
    </div>
  );
}

function MarkVerifiedForm({ ctx, emailId, email }: { ctx: FormContext; emailId: string; email: string }) {
  const open = ctx.problem?.intent === "mark-verified" && ctx.problem.target === emailId;
  return (
    <details className="panel-details" open={open || undefined}>
      <summary>Mark verified…</summary>
      <ActionFormBody id={`mark-verified-${emailId}`} ctx={ctx} intent="mark-verified" target={emailId} fields={{ emailId }} submit={`Mark ${email} verified`} busy="Saving…">
        <TextField
          ctx={ctx}
          intent="mark-verified"
          target={emailId}
          name="evidence"
          label="Identity evidence you checked"
          hint="E.g. the learner wrote from their verified address and named the course, date and issuer."
          multiline
        />
      </ActionFormBody>
    </details>
  );
}

function AddAddressForm({ ctx }: { ctx: FormContext }) {
  const open = ctx.problem?.intent === "add-email";
  return (
    <details className="panel-details" open={open || undefined}>
      <summary>Add an address…</summary>
      <ActionFormBody id="add-address" ctx={ctx} intent="add-email" target="new" fields={{}} submit="Add and send a verification link" busy="Adding…">
        <TextField ctx={ctx} intent="add-email" target="new" name="email" label="Email address" type="email" hint="Added unverified; a verification link goes to it. Mark it verified with evidence if nobody can receive mail there." />
      </ActionFormBody>
    </details>
  );
}

function MoveAddressForm({ ctx }: { ctx: FormContext }) {
  const open = ctx.problem?.intent === "move-address";
  return (
    <details className="panel-details" open={open || undefined}>
      <summary>Move an address here from another account…</summary>
      <ActionFormBody id="move-address" ctx={ctx} intent="move-address" target="move" fields={{}} submit="Move the address and its badges here" busy="Moving…">
        <TextField ctx={ctx} intent="move-address" target="move" name="email" label="Address on the other account" type="email" hint="Both accounts are emailed. To undo, move it back from the other account's page." />
        <TextField ctx={ctx} intent="move-address" target="move" name="evidence" label="Evidence both accounts belong to this person" multiline />
      </ActionFormBody>
    </details>
  );
}

// ---------------------------------------------------------------------------------------------
// Form building blocks

function HiddenFields({ ctx, intent, actionKey, fields }: { ctx: FormContext; intent: AgentActionIntent; actionKey: string; fields: Record<string, string> }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="actionKey" value={actionKey} />
      <input type="hidden" name="returnTo" value={ctx.returnTo} />
      {ctx.ticket ? <input type="hidden" name="ticketId" value={ctx.ticket.id} /> : null}
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** A one-press action (with a reason field when there is no ticket). */
function ActionForm({
  ctx,
  intent,
  target,
  fields,
  label,
  busy,
  quiet = false,
  children,
}: {
  ctx: FormContext;
  intent: AgentActionIntent;
  target: string;
  fields: Record<string, string>;
  label?: string;
  busy: string;
  quiet?: boolean;
  children: ReactNode;
}) {
  const actionKey = actionKeyFor(ctx.renderKey, intent, target);
  const isBusy = ctx.busyKey === actionKey;
  return (
    <form method="post" action={ctx.action} className="inline-form panel-form">
      <HiddenFields ctx={ctx} intent={intent} actionKey={actionKey} fields={fields} />
      {ctx.ticket ? null : <ReasonField ctx={ctx} intent={intent} target={target} compact />}
      <button type="submit" className={`button button--small${quiet ? " button--quiet" : ""}`} aria-label={isBusy ? undefined : label} disabled={isBusy}>
        {isBusy ? busy : children}
      </button>
    </form>
  );
}

/** A form with fields (evidence, addresses, authorisation). */
function ActionFormBody({
  id,
  ctx,
  intent,
  target,
  fields,
  submit,
  busy,
  children,
}: {
  id: string;
  ctx: FormContext;
  intent: AgentActionIntent;
  target: string;
  fields: Record<string, string>;
  submit: string;
  busy: string;
  children: ReactNode;
}) {
  const actionKey = actionKeyFor(ctx.renderKey, intent, target);
  const isBusy = ctx.busyKey === actionKey;
  return (
    <form id={id} method="post" action={ctx.action} className="panel-form panel-form--fields">
      <HiddenFields ctx={ctx} intent={intent} actionKey={actionKey} fields={fields} />
      {children}
      {ctx.ticket ? null : <ReasonField ctx={ctx} intent={intent} target={target} />}
      <button type="submit" className="button button--small" disabled={isBusy}>
        {isBusy ? busy : submit}
      </button>
    </form>
  );
}

function problemHere(ctx: FormContext, intent: string, target: string): PanelProblem | null {
  const p = ctx.problem;
  if (!p || p.intent !== intent) return null;
  // Forms without a target of their own (add, move) match by intent.
  return p.target === target || ((target === "new" || target === "move") && !p.target?.startsWith("add:")) ? p : null;
}

function ReasonField({ ctx, intent, target, compact = false }: { ctx: FormContext; intent: AgentActionIntent; target: string; compact?: boolean }) {
  return <TextField ctx={ctx} intent={intent} target={target} name="reason" label="Reason (no ticket)" compact={compact} />;
}

function TextField({
  ctx,
  intent,
  target,
  name,
  label,
  hint,
  type = "text",
  multiline = false,
  required = true,
  compact = false,
}: {
  ctx: FormContext;
  intent: string;
  target: string;
  name: string;
  label: string;
  hint?: string;
  type?: string;
  multiline?: boolean;
  required?: boolean;
  compact?: boolean;
}) {
  const id = `${intent}-${target}-${name}`;
  const problem = problemHere(ctx, intent, target);
  const error = problem?.field === name ? problem.message : null;
  const value = problem ? (ctx.values?.[name] ?? "") : "";
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error ?? undefined} compact={compact}>
      {(describedBy) => {
        const common = { id, name, defaultValue: value, required, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };
        return multiline ? <textarea rows={3} {...common} /> : <input type={type} {...common} />;
      }}
    </FieldFrame>
  );
}

/** A refusal that isn't about one field, shown under the thing it concerns. */
function ProblemFor({ ctx, target }: { ctx: FormContext; target: string }) {
  const p = ctx.problem;
  if (!p || p.target !== target || p.field) return null;
  return <p className="field__error">{p.message}</p>;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
