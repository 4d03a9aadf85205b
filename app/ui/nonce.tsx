import { createContext, useContext } from "react";

/**
 * This response's Content-Security-Policy nonce (set by server.mjs) for the inline scripts Remix
 * renders. Only the server render needs it: the browser hides nonces from the page, so the client
 * renders without one.
 */
export const NonceContext = createContext<string | undefined>(undefined);

export const useNonce = () => useContext(NonceContext);
