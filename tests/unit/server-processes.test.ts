import { expect, test } from "vitest";
import { serverProcessCount } from "../../server/workers";

const postgres = { cores: 4, embeddedDatabase: false };

test("WEB_CONCURRENCY: one process unless set; a number or \"auto\" (one per core)", () => {
  expect(serverProcessCount(undefined, postgres)).toEqual({ count: 1, problem: null, note: null });
  expect(serverProcessCount("", postgres).count).toBe(1);
  expect(serverProcessCount("2", postgres).count).toBe(2);
  expect(serverProcessCount(" Auto ", postgres).count).toBe(4);
});

test("WEB_CONCURRENCY: anything else refuses the start with a reason", () => {
  for (const value of ["0", "-1", "two", "1.5"]) {
    const { problem } = serverProcessCount(value, postgres);
    expect(problem).toContain(`not "${value}"`);
  }
});

test("WEB_CONCURRENCY on embedded PGlite: one process (one per data folder), and the start says so", () => {
  const { count, problem, note } = serverProcessCount("2", { cores: 4, embeddedDatabase: true });
  expect([count, problem]).toEqual([1, null]);
  expect(note).toContain("ignored on embedded PGlite");
});
