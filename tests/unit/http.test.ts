import { describe, expect, it } from "vitest";
import { clientIp, invariantResponse } from "~/utils/http.server";

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
