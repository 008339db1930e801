// What stops the server, second by second: preload it into this checkout's server with
//   npx tsx bench/agent-desk.ts … --slow-log /tmp/slow.log --node-args="--import ./bench/pause-monitor.mjs"
// and each process writes to <PAUSE_LOG_PREFIX>-<pid>.log (default /tmp/badgedesk-pauses-<pid>.log),
// starting with its command line, with wall-clock times in epoch ms to set beside --slow-log:
//   gc <at> <ms> <kind>       a collection of 3 ms or more (minor = scavenge, major = mark-compact)
//   stall <at> <ms> heap=<MB>  the event loop held up 15 ms or more (rendering, a collection…)
//   heap <at> old=… new=…     the heap's spaces in MB, every second
// Plain JavaScript (no tsx): --node-args come before the server's own loader.
import fs from "node:fs";
import { PerformanceObserver, performance } from "node:perf_hooks";
import v8 from "node:v8";

const out = fs.createWriteStream(`${process.env.PAUSE_LOG_PREFIX ?? "/tmp/badgedesk-pauses"}-${process.pid}.log`);
out.write(`process ${process.pid} ${process.argv.slice(1).join(" ")}\n`);
const at = (relative) => (performance.timeOrigin + relative).toFixed(1);
const GC_KINDS = { 1: "minor", 4: "major", 8: "incremental-step", 16: "weak-callbacks" };

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.duration >= 3) out.write(`gc ${at(entry.startTime)} ${entry.duration.toFixed(1)} ${GC_KINDS[entry.detail?.kind] ?? entry.detail?.kind}\n`);
  }
}).observe({ entryTypes: ["gc"] });

// A 5 ms tick that comes late by 15 ms or more: the loop was held up that long.
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - last - 5;
  if (late >= 15) out.write(`stall ${at(last)} ${late.toFixed(1)} heap=${(process.memoryUsage().heapUsed / 1e6).toFixed(0)}MB\n`);
  last = now;
}, 5).unref();

setInterval(() => {
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name, (space.space_used_size / 1e6).toFixed(1)]));
  out.write(`heap ${Date.now()} old=${spaces.old_space} new=${spaces.new_space} large=${spaces.large_object_space}\n`);
}, 1000).unref();
