// The one UUID check: ids in URLs, cookies and forms are checked before they reach a uuid column
// (PostgreSQL would answer a malformed one with an error, not with "not found").
import { z } from "zod";

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_PATTERN.test(value);
}

export const uuidField = z.string().regex(UUID_PATTERN);
