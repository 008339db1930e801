// What the sustained-load benchmarks (ticket submissions, received email) share: one POST on a
// kept-alive agent, timed, and a percentile of the sorted latencies.
import http from "node:http";

export interface TimedAnswer {
  status: number;
  location: string | undefined;
  ms: number;
}

/** One POST to 127.0.0.1:`port`, its body sent whole; the answer's status, Location and time taken. */
export function timedPost(agent: http.Agent, port: number, { path, headers, body }: { path: string; headers: http.OutgoingHttpHeaders; body: string | Buffer }): Promise<TimedAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: "127.0.0.1", port, method: "POST", path, headers: { ...headers, "Content-Length": Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, location: response.headers.location, ms: performance.now() - started }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** The p-th percentile of latencies sorted ascending (0 for none). */
export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}
