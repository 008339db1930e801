export * from "./accounts";
export * from "./auth";
export * from "./badges";
export * from "./platform";
