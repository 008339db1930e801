export * from "./accounts";
export * from "./auth";
export * from "./badges";
export * from "./platform";
export * from "./account-email-claims";
export * from "./tickets";
export * from "./kb";
export * from "./lists";
