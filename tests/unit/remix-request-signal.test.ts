import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, expect, test } from "vitest";
import { webRequestOf } from "../../server/remix-handler";

// The signal of the Request a page's loaders get: aborted when the visitor leaves before the
// answer (loaders stop), and once the answer is written (what Remix hangs on it for the page,
// a 5 s timer holding its data among them, is let go then rather than seconds later).
const requests: globalThis.Request[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.get("/answered", (req, res) => {
    requests.push(webRequestOf(req, res));
    res.end("ok");
  });
  app.get("/never", (req, res) => {
    requests.push(webRequestOf(req, res));
  });
  server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const aborted = (signal: AbortSignal) => (signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener("abort", resolve)));

test("once the answer is written, the request's signal ends, as answered", async () => {
  const response = await fetch(`${base}/answered`);
  expect(await response.text()).toBe("ok");
  const request = requests.at(-1)!;
  expect(request.url).toBe(`${base}/answered`);
  await aborted(request.signal);
  expect(request.signal.reason).toBeInstanceOf(Error);
  expect((request.signal.reason as Error).message).toBe("The answer was written");
});

test("a visitor who leaves before the answer aborts the request (its loaders stop)", async () => {
  const before = requests.length;
  const leaving = new AbortController();
  const fetching = fetch(`${base}/never`, { signal: leaving.signal }).catch((error: Error) => error);
  while (requests.length === before) await new Promise((resolve) => setTimeout(resolve, 10));
  const request = requests.at(-1)!;
  expect(request.signal.aborted).toBe(false);
  leaving.abort();
  await fetching;
  await aborted(request.signal);
  expect((request.signal.reason as DOMException).name).toBe("AbortError");
});
