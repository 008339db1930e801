// The screens articles may send a reader to: badgedesk's own pages (with the sections a link may
// jump to), and the badge platform's menu paths that learners use outside badgedesk. This is the
// one list: `npm run content:check` refuses an article that names a screen or menu path missing
// here, so when a page is added, renamed or removed, change it here and the check follows.

export interface ProductScreen {
  /** The name a reader sees: the page's heading or its link in the header. */
  name: string;
  path: string;
  /** Headings on the page a link may jump to (#anchor), named as the page shows them. */
  sections?: readonly { name: string; anchor: string }[];
}

export const PRODUCT_SCREENS: readonly ProductScreen[] = [
  { name: "Help center", path: "/" },
  { name: "Help center", path: "/faq" },
  { name: "Search", path: "/search" },
  { name: "Submit a ticket", path: "/tickets/new" },
  { name: "My tickets", path: "/tickets" },
  {
    name: "My badges",
    path: "/my/badges",
    sections: [
      { name: "What needs your attention", anchor: "attention-heading" },
      { name: "Your backpack", anchor: "backpack-heading" },
      { name: "Not in your backpack", anchor: "not-in-backpack-heading" },
      { name: "Pathway invitations", anchor: "invitations-heading" },
      { name: "Email addresses", anchor: "addresses-heading" },
    ],
  },
  {
    name: "My profile",
    path: "/my/profile",
    sections: [
      { name: "Your name", anchor: "name-heading" },
      { name: "Password", anchor: "password-heading" },
      { name: "Where you are signed in", anchor: "sessions-heading" },
      { name: "Your data", anchor: "data-heading" },
      { name: "Delete my account", anchor: "delete-heading" },
    ],
  },
  { name: "Delete my account", path: "/my/profile/delete" },
  { name: "Log in", path: "/login" },
  { name: "Sign up", path: "/signup" },
  { name: "Reset your password", path: "/forgot-password" },
];

/** The badge platform's own menus (Badgr-style), which articles write as **Apps → Pathways → My Pathways**. */
export const PLATFORM_MENU_PATHS: readonly string[] = ["Apps → Pathways → My Pathways", "Apps → Pathways → Explore Pathways"];

/** Names of screens that don't exist here, with the screen to name instead. */
export const RETIRED_SCREEN_NAMES: readonly { name: string; instead: string }[] = [
  { name: "Account → Profile", instead: "My badges → Email addresses" },
  { name: "account page", instead: "My badges" },
];

export const MENU_SEPARATOR = " → ";

/** Every menu path an article may write: "My badges → Email addresses", the platform's paths, and their beginnings ("Apps → Pathways"). */
export function knownMenuPaths(): Set<string> {
  const paths = new Set<string>();
  for (const screen of PRODUCT_SCREENS) for (const section of screen.sections ?? []) paths.add(`${screen.name}${MENU_SEPARATOR}${section.name}`);
  for (const full of PLATFORM_MENU_PATHS) {
    const parts = full.split(MENU_SEPARATOR);
    for (let n = 2; n <= parts.length; n++) paths.add(parts.slice(0, n).join(MENU_SEPARATOR));
  }
  return paths;
}

export function findScreen(path: string): ProductScreen | null {
  return PRODUCT_SCREENS.find((screen) => screen.path === path) ?? null;
}
