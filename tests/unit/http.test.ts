import { describe, expect, it } from "vitest";
import { clientIp, invariantResponse } from "~/utils/http.server";
import { MATERIAL_CSP } from "~/domain/material-document";
import { contentSecurityPolicy, MATERIAL_PREVIEW_CSP, newNonce, sameOrigin, securityHeaders } from "../../security.mjs";

describe("clientIp", () => {
  it("takes the address server.mjs put in the load context", () => {
    expect(clientIp({ clientIp: "203.0.113.7" })).toBe("203.0.113.7");
    expect(clientIp({ clientIp: "2001:db8::1" })).toBe("2001:db8::1");
    // An IPv4 client on a dual-stack socket has one spelling, not two.
    expect(clientIp({ clientIp: "::ffff:198.51.100.2" })).toBe("198.51.100.2");
    expect(clientIp({})).toBeNull();
  });

  it("ignores values that are not addresses", () => {
    expect(clientIp({ clientIp: "x".repeat(300) })).toBeNull();
    expect(clientIp({ clientIp: "203.0.113.7, 10.0.0.1" })).toBeNull();
  });
});

describe("invariantResponse", () => {
  it("throws a Response with the status when the condition fails", () => {
    expect(() => invariantResponse(true, 404)).not.toThrow();
    try {
      invariantResponse(null, 413);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Response);
      expect((e as Response).status).toBe(413);
    }
  });
});

describe("sameOrigin", () => {
  const SESSION = "__session=abc.def";
  const post = (headers: Record<string, string>) => ({ method: "POST", headers: { host: "portal.example", ...headers } });

  it("lets reads through whatever they carry", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(sameOrigin({ method, headers: { origin: "http://evil.example", cookie: SESSION } })).toBe(true);
  });

  it("accepts a state change whose Origin or Referer names our host, refuses any other", () => {
    expect(sameOrigin(post({ origin: "https://portal.example", cookie: SESSION }))).toBe(true);
    expect(sameOrigin(post({ referer: "https://portal.example/customers?q=1", cookie: SESSION }))).toBe(true);
    expect(sameOrigin(post({ origin: "https://evil.example", cookie: SESSION }))).toBe(false);
    expect(sameOrigin(post({ origin: "https://portal.example.evil.example" }))).toBe(false);
    expect(sameOrigin(post({ origin: "null", cookie: SESSION }))).toBe(false);
    expect(sameOrigin(post({ origin: "not a url" }))).toBe(false);
    // Origin wins over a matching Referer.
    expect(sameOrigin(post({ origin: "https://evil.example", referer: "https://portal.example/" }))).toBe(false);
  });

  it("with a session cookie and no Origin or Referer, needs Sec-Fetch-Site: same-origin", () => {
    expect(sameOrigin(post({ cookie: SESSION }))).toBe(false);
    expect(sameOrigin(post({ cookie: `lng=ImZhIg%3D%3D; ${SESSION}` }))).toBe(false);
    expect(sameOrigin(post({ cookie: SESSION, "sec-fetch-site": "same-origin" }))).toBe(true);
    for (const site of ["same-site", "cross-site", "none"]) expect(sameOrigin(post({ cookie: SESSION, "sec-fetch-site": site }))).toBe(false);
  });

  it("without a session cookie and no source, acts for nobody and passes; a cross-site fetch does not", () => {
    expect(sameOrigin(post({}))).toBe(true);
    expect(sameOrigin(post({ cookie: "lng=ImZhIg%3D%3D; not__session=x" }))).toBe(true);
    expect(sameOrigin(post({ "sec-fetch-site": "cross-site" }))).toBe(false);
  });

  it("trusts X-Forwarded-Host only behind a trusted proxy", () => {
    const proxied = post({ host: "app:3000", "x-forwarded-host": "portal.example", origin: "https://portal.example", cookie: SESSION });
    expect(sameOrigin(proxied, 0)).toBe(false);
    expect(sameOrigin(proxied, 1)).toBe(true);
    expect(sameOrigin(post({ host: "app:3000", "x-forwarded-host": "portal.example, proxy.internal", origin: "https://portal.example" }), 2)).toBe(true);
    // A forged X-Forwarded-Host does not help a direct request.
    expect(sameOrigin(post({ "x-forwarded-host": "evil.example", origin: "https://evil.example" }), 0)).toBe(false);
  });

});

describe("contentSecurityPolicy", () => {
  it("allows scripts only from our origin or with the response's nonce, and nothing inline otherwise", () => {
    const nonce = newNonce();
    const directives = Object.fromEntries(
      contentSecurityPolicy(nonce)
        .split("; ")
        .map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]),
    );
    expect(directives).toEqual({
      "default-src": "'self'",
      "script-src": `'self' 'nonce-${nonce}'`,
      "style-src": "'self'",
      "img-src": "'self' data:",
      "font-src": "'self'",
      "connect-src": "'self'",
      "object-src": "'none'",
      "base-uri": "'self'",
      "frame-ancestors": "'none'",
      "form-action": "'self'",
    });
    expect(Object.values(directives).join(" ")).not.toMatch(/unsafe/);
  });

  it("makes a new 128-bit nonce every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });
});

describe("securityHeaders", () => {
  const ID = "01JTOOLKIT0000000000000001";
  const TPL = "01JTEMPLATE000000000000001";

  it("gives the co-brand previews the material document's own policy, framed only by our pages", () => {
    expect(MATERIAL_PREVIEW_CSP).toBe(`${MATERIAL_CSP}; frame-ancestors 'self'`);
    for (const path of [`/toolkits/${ID}/templates/${TPL}/preview`, `/toolkits/manage/${ID}/preview`]) {
      expect(securityHeaders(path, "n0nce")).toEqual({ "Content-Security-Policy": MATERIAL_PREVIEW_CSP, "X-Frame-Options": "SAMEORIGIN" });
    }
  });

  it("keeps the app's policy and refuses framing everywhere else, look-alike paths included", () => {
    for (const path of ["/", `/toolkits/${ID}/templates/${TPL}`, `/toolkits/${ID}/templates/${TPL}/render`, `/toolkits/${ID}/templates/${TPL}/preview/x`, `/toolkits/${ID}/preview`, `/x/toolkits/manage/${ID}/preview`, `/toolkits/manage/${ID}/preview.html`]) {
      expect(securityHeaders(path, "n0nce"), path).toEqual({ "Content-Security-Policy": contentSecurityPolicy("n0nce"), "X-Frame-Options": "DENY" });
    }
  });
});
