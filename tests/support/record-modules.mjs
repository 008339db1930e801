// Preloaded into a server under test (NODE_OPTIONS=--import): writes the URL of every module the
// process loads to $MODULE_LOG, so a test can see what ran twice.
import { register } from "node:module";

register(new URL("./record-modules-hooks.mjs", import.meta.url));
