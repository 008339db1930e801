import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * The CHECK condition "column holds one of these values", written from the same list as the
 * column's type. Values are inlined (a constraint takes no parameters); they are our own constants.
 */
export function oneOf(column: AnyColumn, values: readonly string[]): SQL {
  return sql`${column} IN (${sql.raw(values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", "))})`;
}
