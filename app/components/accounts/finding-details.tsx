import { Form, Link } from "@remix-run/react";
import type { FindingView, LearnerAction } from "~/modules/accounts/my-badges";
import { ticketFormLink } from "~/modules/tickets/ticket-rules";
import { ActionButton } from "./action-form";

export interface ActionProblem {
  intent: string;
  target: string | null;
  message: string;
  mergeHelp?: boolean;
}

/** A finding in the learner's words: what happened, the fixes they can make, the article that explains it. */
export function FindingDetails({ finding, problem, idPrefix }: { finding: FindingView; problem?: ActionProblem | null; idPrefix: string }) {
  const errorId = `${idPrefix}-error`;
  const problemHere = problem && finding.actions.some((a) => matches(a, problem)) ? problem : null;
  return (
    <div className="finding">
      <p className="finding__title">{finding.title}</p>
      <p className="finding__explanation">{finding.explanation}</p>
      {finding.actions.length > 0 ? (
        <div className="finding__actions">
          {finding.actions.map((action) => (
            <LearnerActionControl key={`${action.kind}-${keyOf(action)}`} action={action} describedBy={problemHere && matches(action, problemHere) ? errorId : undefined} />
          ))}
        </div>
      ) : null}
      {problemHere ? (
        <p className="field__error" id={errorId}>
          {problemHere.message}
        </p>
      ) : null}
      {finding.article ? (
        <p className="finding__article">
          Read more: <Link to={finding.article.href}>{finding.article.title}</Link>
        </p>
      ) : null}
    </div>
  );
}

function keyOf(action: LearnerAction): string {
  switch (action.kind) {
    case "send_verification_link":
      return action.emailId;
    case "restore_award":
      return action.awardId;
    case "add_email":
      return action.email;
    case "contact_support":
      return action.ticket.subject;
  }
}

function matches(action: LearnerAction, problem: ActionProblem): boolean {
  switch (action.kind) {
    case "send_verification_link":
      // Answered once, beside the address in the address list (and at the top of the page).
      return false;
    case "restore_award":
      return problem.intent === "restore-award" && problem.target === action.awardId;
    case "add_email":
      return problem.intent === "add-email" && problem.target === action.email;
    case "contact_support":
      return false;
  }
}

function LearnerActionControl({ action, describedBy }: { action: LearnerAction; describedBy?: string }) {
  switch (action.kind) {
    case "send_verification_link":
      return (
        <ActionButton intent="send-link" emailId={action.emailId} busyLabel="Sending…" describedBy={describedBy}>
          {action.label}
        </ActionButton>
      );
    case "restore_award":
      return (
        <ActionButton intent="restore-award" awardId={action.awardId} busyLabel="Restoring…" describedBy={describedBy}>
          {action.label}
        </ActionButton>
      );
    case "add_email":
      return <AddThisAddress email={action.email} label={action.label} describedBy={describedBy} />;
    case "contact_support":
      return (
        <Link to={ticketFormLink(action.ticket)} className="button button--small button--quiet">
          {action.label}
        </Link>
      );
  }
}

function AddThisAddress({ email, label, describedBy }: { email: string; label: string; describedBy?: string }) {
  return (
    <Form method="post" action="/my/badges" className="inline-form">
      <input type="hidden" name="intent" value="add-email" />
      <input type="hidden" name="email" value={email} />
      <button type="submit" className="button button--small" aria-describedby={describedBy}>
        {label}
      </button>
    </Form>
  );
}
