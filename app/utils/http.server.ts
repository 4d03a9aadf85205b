import { isIP } from "node:net";

/** One-line guards that turn "not found / not allowed" into the right status. */
export function invariantResponse(condition: unknown, status: 400 | 403 | 404 | 413, message?: string): asserts condition {
  if (!condition) throw new Response(message ?? String(status), { status });
}


/** The client's address as the proxy reports it; anything that is not an IP address (forged or garbled) counts as unknown. */
export function clientIp(request: Request): string | null {
  const candidates = [request.headers.get("x-forwarded-for")?.split(",")[0]?.trim(), request.headers.get("x-real-ip")?.trim()];
  return candidates.find((c): c is string => Boolean(c) && isIP(c!) !== 0) ?? null;
}
