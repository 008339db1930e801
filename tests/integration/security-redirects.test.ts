// Open redirects (issue 10, item 3): every redirect target taken from input goes through one check;
// anything that would leave APP_URL's origin, or can't be a header, goes to "/" (or 404 for the
// suggestion counter), never to another site and never to a 500.
import { describe, expect, test } from "vitest";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { loader as suggestionLoader } from "~/routes/tickets.suggestions";
import { createLearner, TEST_PASSWORD } from "../support/factories";
import { createSessionCookie, getPage } from "./accounts-fixtures";

const args = (request: Request) => ({ request, params: {}, context: { clientIp: "192.0.2.10", requestId: "t", cspNonce: "n" } as never });

async function outcome(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    throw new Error(`Expected a response, got ${JSON.stringify(result)}`);
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

const HOSTILE = ["%2F%09%2Fevil.example", "%2F%2Fevil.example", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%0D%2Fevil.example"];
const UNPRINTABLE = ["%2Fa%00b", "%2Fa%0Ab", "%2Fa%0Db", "%2Fa%E3%80%80b", "%2Fa%20b"];

describe("log in and come back", () => {
  test.each(HOSTILE)("signed in, /login?redirectTo=%s goes to /", async (target) => {
    const cookie = await createSessionCookie((await createLearner()).id);
    const response = await outcome(() => loginLoader(args(getPage(`/login?redirectTo=${target}`, cookie))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
  });

  test.each(UNPRINTABLE)("signed in, /login?redirectTo=%s answers a redirect on this site, not a 500", async (target) => {
    const cookie = await createSessionCookie((await createLearner()).id);
    const response = await outcome(() => loginLoader(args(getPage(`/login?redirectTo=${target}`, cookie))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/[\x21-\x7e]*$/);
  });

  test("logging in follows a path on this site and refuses another site", async () => {
    const learner = await createLearner();
    const post = (redirectTo: string) =>
      new Request("http://badgedesk.test/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: learner.email, password: TEST_PASSWORD, redirectTo }),
      });
    expect((await outcome(() => loginAction(args(post("/tickets?x=1"))))).headers.get("Location")).toBe("/tickets?x=1");
    expect((await outcome(() => loginAction(args(post("/\t/evil.example"))))).headers.get("Location")).toBe("/");
    expect((await outcome(() => loginAction(args(post("/\u3000x"))))).headers.get("Location")).toBe("/%E3%80%80x");
  });
});

describe("the suggestion counter's ?to=", () => {
  test.each(HOSTILE)("to=%s is not followed", async (target) => {
    const response = await outcome(() => suggestionLoader(args(new Request(`http://badgedesk.test/tickets/suggestions?to=${target}`))));
    expect(response.status).toBe(404);
  });

  test("an article path on this site is followed", async () => {
    const response = await outcome(() => suggestionLoader(args(new Request("http://badgedesk.test/tickets/suggestions?to=%2Ffaq%2Fa%2Fb"))));
    expect(response.headers.get("Location")).toBe("/faq/a/b");
  });
});
