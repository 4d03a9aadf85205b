export function isSafeMethod(method: string): boolean;
export function newNonce(): string;
export function contentSecurityPolicy(nonce: string): string;
export function sameOrigin(req: { method: string; headers: Record<string, string | undefined> }, proxyHops?: number): boolean;
export declare const MATERIAL_PREVIEW_CSP: string;
export declare function securityHeaders(path: string, nonce: string): { "Content-Security-Policy": string; "X-Frame-Options": "DENY" | "SAMEORIGIN" };
