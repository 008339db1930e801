// Pure rules of My profile: the phrase that confirms a deletion.

/** Typed to confirm "Delete my account", so that no slip of a click deletes it. */
export const DELETE_PHRASE = "delete my account";

/** Whether the typed phrase confirms the deletion: capitals and spaces around it don't matter. */
export function confirmsDeletion(typed: string): boolean {
  return typeof typed === "string" && typed.trim().replace(/\s+/g, " ").toLowerCase() === DELETE_PHRASE;
}
