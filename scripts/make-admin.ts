// npm run make-admin -- someone@example.org — makes the account using that address an admin.
import { closeConnection } from "#db/client.server";
import { makeAdminByEmail } from "~/modules/auth/roles.server";

const email = process.argv[2];
if (!email) {
  console.error("Usage: npm run make-admin -- <email address of an existing account>");
  process.exit(2);
}
const result = await makeAdminByEmail(email);
await closeConnection();
if (!result.ok) {
  console.error(result.message);
  process.exit(1);
}
console.log(`${result.name} (${email}) is now an admin.`);
