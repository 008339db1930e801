// Work done after the answer has gone out, so the answer's timing tells nothing about the work
// (forgot-password answers known and unknown addresses alike). Graceful shutdown waits for it.
import { describeErrorForLog } from "./log-redaction";

const pending = new Set<Promise<void>>();

export function runInBackground(name: string, work: () => Promise<unknown>): void {
  const task: Promise<void> = Promise.resolve()
    .then(work)
    .then(
      () => {},
      (error) => console.error("background %s failed: %s", name, describeErrorForLog(error)),
    )
    .finally(() => pending.delete(task));
  pending.add(task);
}

/** Resolves once every task started so far has finished (shutdown, and tests). */
export async function settleBackgroundTasks(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

/** How many tasks have started and not finished yet. */
export function backgroundTasksPending(): number {
  return pending.size;
}
