import { describe, expect, it } from "vitest";
import { clientIp, invariantResponse } from "~/utils/http.server";

const req = (headers: Record<string, string>) => new Request("http://localhost/", { headers });

describe("clientIp", () => {
  it("takes the first address of X-Forwarded-For, else X-Real-IP", () => {
    expect(clientIp(req({ "X-Forwarded-For": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(clientIp(req({ "X-Forwarded-For": "2001:db8::1" }))).toBe("2001:db8::1");
    expect(clientIp(req({ "X-Real-IP": "198.51.100.2" }))).toBe("198.51.100.2");
    expect(clientIp(req({}))).toBeNull();
  });

  it("ignores values that are not addresses, however long", () => {
    expect(clientIp(req({ "X-Forwarded-For": "x".repeat(300) }))).toBeNull();
    expect(clientIp(req({ "X-Forwarded-For": "<script>", "X-Real-IP": "198.51.100.2" }))).toBe("198.51.100.2");
    expect(clientIp(req({ "X-Real-IP": "not an ip" }))).toBeNull();
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
