import { createContext, useContext, type ReactNode } from "react";

// The per-request CSP nonce, given to Remix's inline scripts. On the client it is empty: browsers
// hide nonce attributes from scripts, so there is nothing to match during hydration.
const NonceContext = createContext<string>("");

export function NonceProvider({ value, children }: { value: string; children: ReactNode }) {
  return <NonceContext.Provider value={value}>{children}</NonceContext.Provider>;
}

export const useNonce = () => useContext(NonceContext);
