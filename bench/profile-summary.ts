// Where a server's CPU went, from a `node --cpu-prof` profile (bench/agent-desk.ts --profile <dir>):
// self time per function and per package, as shares of the profile's non-idle time, and the
// inclusive ("total") time of functions whose name matches --match.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 40] [--match matchRoutes,renderToPipeableStream] [--skip 5]
//
// --skip <s> leaves out the profile's first s seconds; by default, everything until 2 s after the
// first request reached Remix (the server's start-up, a build if it was stale, the warm-up).
import fs from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "40" }, match: { type: "string" }, skip: { type: "string" } } });
const profile = JSON.parse(fs.readFileSync(positionals[0], "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

// Samples before the cut-off are dropped (their time delta set to 0).
function firstRequestAt(): number {
  let elapsed = 0;
  for (const [i, id] of profile.samples.entries()) {
    elapsed += profile.timeDeltas[i] ?? 0;
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) if (byId.get(at)!.callFrame.functionName === "requestHandler") return elapsed;
  }
  return 0;
}
const skipMicros = values.skip ? Number(values.skip) * 1e6 : firstRequestAt() + 2e6;
let elapsed = 0;
profile.timeDeltas = profile.timeDeltas.map((delta) => ((elapsed += delta) < skipMicros ? 0 : delta));

// Microseconds of self time per node (each sample's delta belongs to the sample's node).
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const IDLE = new Set(["(idle)", "(program)"]);
let busy = 0;
for (const [id, us] of selfTime) if (!IDLE.has(byId.get(id)!.callFrame.functionName)) busy += us;

/** "react-dom", "@remix-run/router", "ours: app", "node:internal", "(garbage collector)"… */
function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return "node: " + url.slice(5).split("/")[0];
  if (url.includes("/build/server/")) return "ours: app bundle";
  if (url.includes("/server/")) return "ours: server/";
  return url;
}

const label = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(build|server)\//, "$1/")}:${n.callFrame.lineNumber + 1}`;
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;

const perFunction = new Map<string, number>();
const perPackage = new Map<string, number>();
for (const [id, us] of selfTime) {
  const node = byId.get(id)!;
  if (IDLE.has(node.callFrame.functionName)) continue;
  perFunction.set(label(node), (perFunction.get(label(node)) ?? 0) + us);
  const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
  perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + us);
}
const top = Number(values.top);
console.log(`busy time ${(busy / 1e6).toFixed(2)} s\n\nself time by package:`);
for (const [name, us] of [...perPackage].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(us)}  ${name}`);
console.log(`\nself time by function (top ${top}):`);
for (const [name, us] of [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${name}`);

// Inclusive time of named functions: a sample counts once for a name even when it recurses.
if (values.match) {
  const names = values.match.split(",");
  const inclusive = new Map<string, number>(names.map((n) => [n, 0]));
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const fn = byId.get(at)!.callFrame.functionName;
      if (names.includes(fn) && !seen.has(fn)) {
        seen.add(fn);
        inclusive.set(fn, inclusive.get(fn)! + (profile.timeDeltas[i] ?? 0));
      }
    }
  });
  console.log("\ntotal (inclusive) time:");
  for (const [name, us] of inclusive) console.log(`  ${pct(us)}  ${name}`);
}
