// Request guards that server.mjs applies before Remix runs. Plain JavaScript so the production
// server can import it without a build step; typed by security.d.mts for the tests.
import { randomBytes } from "node:crypto";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const isSafeMethod = (method) => SAFE_METHODS.has(method);

/** A fresh nonce for each response: 128 random bits, base64. */
export const newNonce = () => randomBytes(16).toString("base64");

/**
 * The Content-Security-Policy of every response. Scripts run only from our own origin or with this
 * response's nonce (Remix's inline hydration scripts); styles only from our own stylesheets, so the
 * markup carries no style attributes. data: images are for two-factor QR codes.
 */
export function contentSecurityPolicy(nonce) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

/**
 * The policy of a co-brand preview: the material document's own (MATERIAL_CSP in
 * app/domain/material-document.ts, which a unit test keeps equal: no script, nothing from the
 * network, its inline styles and data: images and fonts), framed only by our own pages.
 */
export const MATERIAL_PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

// The partner's preview of a template, and the brand's preview in the template editor.
const PREVIEW_PATH = /^\/toolkits\/(?:[0-9A-Za-z]{26}\/templates\/[0-9A-Za-z]{26}|manage\/[0-9A-Za-z]{26})\/preview$/;

/**
 * Content-Security-Policy and X-Frame-Options for a path: the app's everywhere, except the preview
 * documents, which carry inline styles and are shown in a frame of the personalise and editor pages.
 */
export function securityHeaders(path, nonce) {
  if (PREVIEW_PATH.test(path)) return { "Content-Security-Policy": MATERIAL_PREVIEW_CSP, "X-Frame-Options": "SAMEORIGIN" };
  return { "Content-Security-Policy": contentSecurityPolicy(nonce), "X-Frame-Options": "DENY" };
}

const hasSessionCookie = (cookie = "") => /(?:^|;\s*)__session=/.test(cookie);

/**
 * Refuses state-changing requests that may come from another site (CSRF), on top of SameSite=Lax
 * cookies. The host the browser addressed is the Host header, or the first X-Forwarded-Host when
 * a trusted proxy set it (a client could otherwise name any host it likes). A request that names
 * its source (Origin, else Referer) must name our host; one that names none must say
 * Sec-Fetch-Site: same-origin, or carry no session cookie (a script or a health check, which
 * acts for nobody).
 */
export function sameOrigin(req, proxyHops = 0) {
  if (isSafeMethod(req.method)) return true;
  const headers = req.headers;
  const forwarded = proxyHops > 0 ? headers["x-forwarded-host"]?.split(",")[0].trim() : undefined;
  const host = forwarded || headers.host;
  const source = headers.origin ?? headers.referer;
  if (source !== undefined) {
    if (!host || source === "null") return false;
    try {
      return new URL(source).host === host;
    } catch {
      return false;
    }
  }
  const site = headers["sec-fetch-site"];
  if (site !== undefined) return site === "same-origin";
  return !hasSessionCookie(headers.cookie);
}
