export function isSafeMethod(method: string): boolean;
export function newNonce(): string;
export function contentSecurityPolicy(nonce: string): string;
export function sameOrigin(req: { method: string; headers: Record<string, string | undefined> }, proxyHops?: number): boolean;
