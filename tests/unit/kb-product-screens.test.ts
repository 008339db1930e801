// The list of screens articles may name stays true to the app: every screen is a route, and every
// section a link may jump to is a heading id on that route's page.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { PRODUCT_SCREENS } from "~/modules/kb/product-screens";

function routeFile(screenPath: string): string | null {
  const dotted = screenPath.slice(1).replace(/\//g, ".");
  // A page not nested in its parent's layout escapes the parent with "_" (my.profile_.delete.tsx).
  const segments = dotted.split(".");
  const escaped = segments.map((segment, i) => (i === segments.length - 2 ? `${segment}_` : segment)).join(".");
  const candidates = dotted ? [`${dotted}.tsx`, `${dotted}._index.tsx`, `${escaped}.tsx`] : ["_index.tsx"];
  return candidates.map((name) => path.resolve("app/routes", name)).find((file) => fs.existsSync(file)) ?? null;
}

describe("product screens", () => {
  test.each(PRODUCT_SCREENS.map((screen) => [screen.path, screen] as const))("%s is a route, with the sections it lists", (_path, screen) => {
    const file = routeFile(screen.path);
    expect(file, `no route file for ${screen.path}`).not.toBeNull();
    const source = fs.readFileSync(file!, "utf8");
    for (const section of screen.sections ?? []) {
      expect(source).toContain(`id="${section.anchor}"`);
      expect(source).toContain(section.name);
    }
  });
});
