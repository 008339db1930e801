// npm run db:seed — migrates, then adds the demo data (safe to run again).
import { closeConnection, migrateDatabase } from "#db/client.server";
import { DEMO_PASSWORD, seedDemoData } from "#db/seed";

await migrateDatabase();
const { people } = await seedDemoData();
await closeConnection();
console.log(`Demo data is in. Sign in with any of these (password: ${DEMO_PASSWORD}):`);
for (const p of people) console.log(`  ${p.role.padEnd(8)} ${p.email}`);
