import { describe, expect, test } from "vitest";
import { CommentForm, VoteForm } from "~/modules/kb/feedback-forms";

const errorsOf = (input: Record<string, string>) => {
  const result = CommentForm.safeParse({ intent: "comment", ...input });
  return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path[0], i.message]));
};

describe("Help us improve this article", () => {
  test("a comment alone, or contact with an address, is enough", () => {
    expect(CommentForm.parse({ intent: "comment", comment: "  Missing the phone app steps.  " })).toEqual({ intent: "comment", comment: "Missing the phone app steps.", email: "", contact: false });
    expect(CommentForm.parse({ intent: "comment", email: " ana@example.org ", contact: "on" })).toMatchObject({ email: "ana@example.org", contact: true });
  });

  test("up to 2,000 characters, counted after trimming", () => {
    expect(errorsOf({ comment: `${"x".repeat(2000)}   ` })).toEqual({});
    expect(errorsOf({ comment: "x".repeat(2001) }).comment).toBe("Keep your comment to 2,000 characters (it has 2,001).");
  });

  test("answers the mistakes a reader can make, beside the field", () => {
    expect(errorsOf({}).comment).toMatch(/Tell us what was missing/);
    expect(errorsOf({ comment: "x", contact: "on" }).email).toMatch(/Enter the address we should reply to/);
    expect(errorsOf({ comment: "x", email: "ana@" }).email).toMatch(/Enter an email address like/);
  });
});

test("a vote is Yes or No, nothing else", () => {
  expect(VoteForm.safeParse({ intent: "vote", helpful: "maybe" }).success).toBe(false);
  expect(VoteForm.parse({ intent: "vote", helpful: "no" }).helpful).toBe("no");
});
