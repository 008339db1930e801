// Runs after `npm install` so that the first `npm start` doesn't wait for a build. A failed build
// here only warns: `npm start` builds again and shows the error where it matters.
import { buildIfStale } from "../server/build";

if (!buildIfStale()) console.warn("The build failed; `npm start` will try again and show why.");
