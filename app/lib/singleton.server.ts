// One value per process, kept across the dev server's hot reloads (which evaluate a changed module
// again): a second database pool, or a second PGlite on the same data folder, would be wrong. In
// production every module is evaluated once and this is a plain lazy value. The only globals.
const slots = globalThis as unknown as Record<symbol, unknown>;
const slot = (name: string) => Symbol.for(`badgedesk.${name}`);

export function singleton<T>(name: string, create: () => T): T {
  if (!(slot(name) in slots)) slots[slot(name)] = create();
  return slots[slot(name)] as T;
}

/** Takes the value out (if it was ever made), so the next singleton() call makes a new one. */
export function takeSingleton<T>(name: string): T | undefined {
  const value = slots[slot(name)] as T | undefined;
  delete slots[slot(name)];
  return value;
}
