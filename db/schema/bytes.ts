import { customType } from "drizzle-orm/pg-core";

// bytea as a Buffer on both drivers (postgres.js gives a Buffer, PGlite a Uint8Array).
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
  toDriver: (value) => value,
});
