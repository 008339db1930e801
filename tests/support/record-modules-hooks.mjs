import fs from "node:fs";

export async function load(url, context, nextLoad) {
  if (process.env.MODULE_LOG && url.startsWith("file:")) fs.appendFileSync(process.env.MODULE_LOG, `${url}\n`);
  return nextLoad(url, context);
}
