// The rating form's action, shared by the learner's ticket page and the private-link page.
import { data } from "@remix-run/node";
import { parseForm } from "~/lib/forms";
import { redirectWithNotice } from "~/modules/auth";
import { rateTicket, RATING_REFUSALS, RatingForm } from "~/modules/tickets";

/** "How did we do?" posted from a ticket page (signed in or by private link): the requester may see the ticket (checked by the caller); `actorId` null for the private link. */
export async function rateTicketFromForm(form: FormData, ticketId: string, actorId: string | null, here: string) {
  const input = parseForm(form, RatingForm);
  if (!input.ok) return data({ form: "rate" as const, errors: input.errors, values: input.values }, { status: 400 });
  const result = await rateTicket({ ticketId, rating: input.data.rating, comment: input.data.comment ?? null, actorId });
  if (!result.ok) {
    if (result.reason === "not_found") throw new Response("Not found", { status: 404 });
    return data({ form: "rate" as const, errors: { rating: RATING_REFUSALS[result.reason] }, values: input.values }, { status: 409 });
  }
  return redirectWithNotice(`${here}#how-did-we-do`, result.changed ? "Your rating was changed. Thank you!" : "Thank you for your rating!");
}
