import { expect, test } from "vitest";
import { serverProcessCount } from "../../server/workers";

const postgres = { cores: 4, embeddedDatabase: false };

test("on PostgreSQL, one process per core unless WEB_CONCURRENCY says otherwise, at most 4 by default", () => {
  expect(serverProcessCount(undefined, postgres)).toEqual({ count: 4, problem: null, note: null });
  expect(serverProcessCount("", { cores: 2, embeddedDatabase: false }).count).toBe(2);
  expect(serverProcessCount(undefined, { cores: 1, embeddedDatabase: false }).count).toBe(1);
  // A big machine: the default stays at 4 (4 pools of connections); "auto" takes every core.
  expect(serverProcessCount(undefined, { cores: 32, embeddedDatabase: false }).count).toBe(4);
  expect(serverProcessCount(" Auto ", { cores: 32, embeddedDatabase: false }).count).toBe(32);
  expect(serverProcessCount("1", postgres).count).toBe(1);
  expect(serverProcessCount("2", postgres).count).toBe(2);
});

test("on embedded PGlite, one process when WEB_CONCURRENCY is not set, without a note", () => {
  expect(serverProcessCount(undefined, { cores: 4, embeddedDatabase: true })).toEqual({ count: 1, problem: null, note: null });
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
