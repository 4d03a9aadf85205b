import { isIP } from "node:net";
import type { AppLoadContext } from "@remix-run/node";

/** One-line guards that turn "not found / not allowed" into the right status. */
export function invariantResponse(condition: unknown, status: 400 | 403 | 404 | 413, message?: string): asserts condition {
  if (!condition) throw new Response(message ?? String(status), { status });
}

/** Content-Disposition for a download in both forms, so every browser saves the Persian name: an ASCII fallback and RFC 5987 UTF-8. */
export function attachment(fileName: string, asciiFallback: string): string {
  const ascii = /^[\x20-\x7E]+$/.test(fileName) && !/["\\]/.test(fileName) ? fileName : asciiFallback;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A CSV file to save, never kept by a shared cache (every export holds the viewer's own data). */
export function csvDownload(body: BodyInit, fileName: string, asciiFallback: string): Response {
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment(fileName, asciiFallback), "Cache-Control": "private, no-store" },
  });
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as server.mjs worked it out: the socket's, or the TRUST_PROXY-th hop of X-Forwarded-For. */
    clientIp?: string;
  }
}

/**
 * The client's address from the load context, never from request headers: a header is whatever the
 * client wrote unless a configured proxy vouches for it, and that decision is made once, in server.mjs.
 * Null outside that server (the development server gives no context).
 */
export function clientIp(context: AppLoadContext): string | null {
  const raw = context.clientIp;
  if (typeof raw !== "string") return null;
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d; keep one spelling per client.
  const ip = raw.startsWith("::ffff:") && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
  return isIP(ip) !== 0 ? ip : null;
}
