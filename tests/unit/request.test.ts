import { describe, expect, it } from "vitest";
import { enumParam, pageParam, safeRedirect } from "~/utils/request.server";

describe("safeRedirect", () => {
  it.each(["/", "/partners", "/users?q=%D8%A7&page=2", "/partners/01ABC#top"])("keeps the same-site path %j", (to) => {
    expect(safeRedirect(to)).toBe(to);
  });

  it("percent-encodes what a Location header cannot carry, and resolves dot segments", () => {
    expect(safeRedirect("/customers?q=علی")).toBe("/customers?q=%D8%B9%D9%84%DB%8C");
    expect(safeRedirect("/مشتری#بخش")).toBe("/%D9%85%D8%B4%D8%AA%D8%B1%DB%8C#%D8%A8%D8%AE%D8%B4");
    expect(safeRedirect("/a/b/../c")).toBe("/a/c");
    expect(() => new Headers({ Location: safeRedirect("/customers?q=علی رضا") })).not.toThrow();
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\t\\evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    " /partners",
    "",
    "partners",
  ])("refuses %j, which a browser could take off the site", (to) => {
    expect(safeRedirect(to)).toBe("/");
    // Whatever is returned resolves to this origin, the way a browser resolves a Location header.
    expect(new URL(safeRedirect(to), "http://localhost/").origin).toBe("http://localhost");
  });

  it("falls back for non-strings and uses the given fallback", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(new File([], "x"))).toBe("/");
    expect(safeRedirect("//evil.example", "/home")).toBe("/home");
  });
});

describe("query parameters", () => {
  it("pageParam accepts only sensible whole pages", () => {
    const page = (q: string) => pageParam(new URL(`http://localhost/x?${q}`));
    expect(page("page=3")).toBe(3);
    for (const q of ["", "page=0", "page=-1", "page=1.5", "page=abc", "page=1e9", "page=100001"]) expect(page(q), q).toBe(1);
  });

  it("enumParam accepts only listed values", () => {
    const url = new URL("http://localhost/x?tier=gold&type=wholesale");
    expect(enumParam(url, "tier", ["silver", "gold"] as const)).toBe("gold");
    expect(enumParam(url, "type", ["distributor", "reseller"] as const)).toBeUndefined();
    expect(enumParam(url, "missing", ["a"] as const)).toBeUndefined();
  });
});
