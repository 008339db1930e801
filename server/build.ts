// Is the production build missing or older than the sources? Used by `npm start` and the e2e setup.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const BUILD_ENTRY = path.resolve("build/server/index.js");
const SOURCES = ["app", "db", "public", "vite.config.ts", "package.json", "tsconfig.json"];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function buildIsStale(): boolean {
  if (!fs.existsSync(BUILD_ENTRY)) return true;
  const built = fs.statSync(BUILD_ENTRY).mtimeMs;
  return SOURCES.some((source) => newestMtime(source) > built);
}

/** Builds when needed; returns false when the build failed. */
export function buildIfStale(): boolean {
  if (!buildIsStale()) return true;
  console.log("Building the app (the build is missing or older than the sources)…");
  const result = spawnSync(process.execPath, [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  return result.status === 0;
}
