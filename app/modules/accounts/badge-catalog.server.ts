// Badge class and pathway names (and their issuers') for the award-state lookup. They change
// rarely, and every award of every lookup needs one: joined in the lookup statement they cost two
// index probes per award and took the statement past PostgreSQL's 16 fast-path relation locks,
// a third of its throughput with 4 callers (BENCHMARKS.md, Accounts). So the statement returns
// ids and the names come from this in-memory catalog: the newest 50,000 badge classes and
// pathways, loaded in one query on first use and reloaded in the background once a minute, so a
// badge renamed on the platform shows its new name about a minute later. Ids it doesn't hold
// (created since, or older than the newest 50,000) are fetched in one query and kept.
import { sql } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";
import type { BadgeClassNames, CatalogNames, PathwayNames } from "./account-lookup";

const RELOAD_AFTER_MS = 60 * 1000;
const MAX_LOADED = 50_000;

interface Catalog {
  badgeClasses: Map<string, BadgeClassNames>;
  pathways: Map<string, PathwayNames>;
  loadedAt: number;
}

let catalog: Catalog | null = null;
let reloading: Promise<Catalog> | null = null;

interface NameRow {
  kind: "badge_class" | "pathway";
  id: string;
  name: string;
  description: string;
  issuer_name: string;
}

/** The names of these badge classes and pathways (an id the platform doesn't know is left out). */
export async function catalogNames(
  { badgeClassIds, pathwayIds }: { badgeClassIds: string[]; pathwayIds: string[] },
  executor: Executor = db,
): Promise<CatalogNames> {
  const current = catalog ? catalogOrReload(catalog) : await firstCatalog();
  const names = { badgeClasses: pick(current.badgeClasses, badgeClassIds), pathways: pick(current.pathways, pathwayIds) };
  const missing = {
    badgeClassIds: badgeClassIds.filter((id) => !names.badgeClasses.has(id)),
    pathwayIds: pathwayIds.filter((id) => !names.pathways.has(id)),
  };
  if (missing.badgeClassIds.length + missing.pathwayIds.length > 0) {
    const found = await queryNames(missingNamesQuery(missing), executor);
    addNames(current, found);
    addNames(names, found);
  }
  return names;
}

// Each lookup gets small maps of its own names: handing the records the shared catalog maps
// instead measured 60 % slower at p99 in bench/accounts-lookup.ts (3.0 ms against 1.8 ms).
function pick<V>(from: Map<string, V>, ids: string[]): Map<string, V> {
  const picked = new Map<string, V>();
  for (const id of ids) {
    const value = from.get(id);
    if (value) picked.set(id, value);
  }
  return picked;
}

function firstCatalog(): Promise<Catalog> {
  return (reloading ??= loadCatalog().finally(() => (reloading = null)));
}

/** Past its age the catalog is reloaded in the background while the old one serves. */
function catalogOrReload(current: Catalog): Catalog {
  if (Date.now() - current.loadedAt > RELOAD_AFTER_MS && !reloading) {
    reloading = loadCatalog()
      // The old names stay in service, and the next try is a minute away.
      .catch(() => {
        current.loadedAt = Date.now();
        return current;
      })
      .finally(() => (reloading = null));
  }
  return current;
}

// The two halves of every names query; each caller adds its own filter or order.
const BADGE_CLASS_NAMES = sql`select 'badge_class' as kind, bc.id, bc.name, bc.description, i.name as issuer_name
  from badge_classes bc join issuers i on i.id = bc.issuer_id`;
const PATHWAY_NAMES = sql`select 'pathway' as kind, p.id, p.name, '' as description, i.name as issuer_name
  from pathways p join issuers i on i.id = p.issuer_id`;

async function loadCatalog(): Promise<Catalog> {
  const loaded: Catalog = { badgeClasses: new Map(), pathways: new Map(), loadedAt: Date.now() };
  const newest = await queryNames(
    sql`(${BADGE_CLASS_NAMES} order by bc.created_at desc limit ${MAX_LOADED})
        union all
        (${PATHWAY_NAMES} order by p.created_at desc limit ${MAX_LOADED})`,
    db,
  );
  addNames(loaded, newest);
  catalog = loaded;
  return loaded;
}

function missingNamesQuery({ badgeClassIds, pathwayIds }: { badgeClassIds: string[]; pathwayIds: string[] }) {
  return sql`${BADGE_CLASS_NAMES} where bc.id = any(string_to_array(${badgeClassIds.join(",")}, ',')::uuid[])
    union all
    ${PATHWAY_NAMES} where p.id = any(string_to_array(${pathwayIds.join(",")}, ',')::uuid[])`;
}

async function queryNames(query: ReturnType<typeof sql>, executor: Executor): Promise<NameRow[]> {
  return rows<NameRow>(await executor.execute(query));
}

function addNames(into: Pick<Catalog, "badgeClasses" | "pathways">, found: NameRow[]): void {
  for (const row of found) {
    if (row.kind === "badge_class") into.badgeClasses.set(row.id, { name: row.name, description: row.description, issuerName: row.issuer_name });
    else into.pathways.set(row.id, { name: row.name, issuerName: row.issuer_name });
  }
}
