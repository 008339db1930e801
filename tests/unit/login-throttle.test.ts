import { expect, test } from "vitest";
import { loginWaitMessage, loginWaitSeconds } from "~/modules/auth/login-throttle";

test("two failures are free, then the wait doubles, up to 15 minutes", () => {
  expect([0, 1, 2, 3, 4, 5, 6, 12, 40].map(loginWaitSeconds)).toEqual([0, 0, 0, 2, 4, 8, 16, 900, 900]);
});

test("the wait is said in seconds, then minutes", () => {
  expect(loginWaitMessage(1)).toMatch(/wait 1 second and/);
  expect(loginWaitMessage(90)).toMatch(/wait 2 minutes and/);
});
