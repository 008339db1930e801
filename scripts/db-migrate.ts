// npm run db:migrate — applies db/migrations to DATABASE_URL, or to the embedded database.
import { closeConnection, migrateDatabase } from "#db/client.server";

await migrateDatabase();
await closeConnection();
console.log("Migrations applied.");
