// npm run content:export — writes the published revisions back to content/faq/<category>/<slug>.mdx
// (the same format the start-up import reads), so teams that keep articles in git can commit what
// editors published. Files of archived or moved articles are removed. Importing and then exporting
// changes no file. Uses DATABASE_URL (or the PGlite folder, when no server is using it).
import { closeConnection, migrateDatabase } from "#db/client.server";
import { exportArticles } from "~/modules/kb/articles.server";

const directory = process.argv[2];
await migrateDatabase();
const report = await exportArticles(directory ? { directory } : {});
await closeConnection();
for (const file of report.written) console.log(`wrote   ${file}`);
for (const file of report.removed) console.log(`removed ${file}`);
console.log(`content:export: ${report.written.length} written, ${report.removed.length} removed, ${report.unchanged} unchanged.`);
