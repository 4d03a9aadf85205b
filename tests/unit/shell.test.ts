import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { handleError as HandleError } from "~/entry.server";
import { activeEntry } from "~/ui/nav";
import { pageTitle } from "~/ui/page-title";

const MENU = ["/", "/notifications", "/customers", "/customers/today", "/segments", "/customers/import", "/serve-requests/incoming", "/serve-requests", "/toolkits", "/toolkits/manage", "/toolkits/analytics", "/products", "/orders"];

describe("the highlighted menu entry", () => {
  it.each([
    ["/", "/"],
    ["/customers", "/customers"],
    ["/customers/", "/customers"],
    ["/customers/01HZXCUSTOMER0000000000000", "/customers"],
    ["/customers/today", "/customers/today"],
    ["/customers/import", "/customers/import"],
    ["/customers/import/01HZXJOB000000000000000000", "/customers/import"],
    ["/serve-requests", "/serve-requests"],
    ["/serve-requests/incoming", "/serve-requests/incoming"],
    ["/toolkits/01HZXTOOLKIT00000000000000/templates/01HZXTEMPLATE0000000000000", "/toolkits"],
    ["/toolkits/manage/01HZXTOOLKIT00000000000000", "/toolkits/manage"],
    ["/products/import", "/products"],
  ])("%s → %s, and only that one", (path, entry) => {
    expect(activeEntry(path, MENU)).toBe(entry);
  });

  it("is none for a page outside the menu, and home only on itself", () => {
    expect(activeEntry("/customersx", MENU)).toBeUndefined();
    expect(activeEntry("/no-such-page", MENU)).toBeUndefined();
    expect(activeEntry("/toolkitsfoo", MENU)).toBeUndefined();
  });
});

type MetaArgs = Parameters<ReturnType<typeof pageTitle>>[0];
const args = (locale: "fa" | "en", extra: Partial<MetaArgs> = {}) =>
  ({
    data: undefined,
    params: {},
    location: { pathname: "/", search: "", hash: "", state: null, key: "k" },
    matches: [
      { id: "root", pathname: "/", params: {}, data: { locale }, handle: undefined, meta: [] },
      { id: "routes/_app", pathname: "/", params: {}, data: { brand: { name_fa: "آرمان", name_en: "Arman" } }, handle: undefined, meta: [] },
    ],
    error: undefined,
    ...extra,
  }) as MetaArgs;

describe("page titles", () => {
  it("name the page, then the brand, in the user's language", () => {
    expect(pageTitle("customers:title")(args("fa"))).toEqual([{ title: "مشتریان · آرمان" }]);
    expect(pageTitle("customers:title")(args("en"))).toEqual([{ title: "Customers · Arman" }]);
  });

  it("may come from the page's data, and a failed page is titled by its error", () => {
    const byName = pageTitle<() => { name: string }>((d) => d.name);
    expect(byName(args("fa", { data: { name: "علی رضایی" } }) as Parameters<typeof byName>[0])).toEqual([{ title: "علی رضایی · آرمان" }]);
    const notFound = { status: 404, statusText: "", internal: false, data: null };
    expect(pageTitle("customers:title")(args("en", { error: notFound }))).toEqual([{ title: "Not found · Arman" }]);
    expect(pageTitle("customers:title")(args("fa", { error: new Error("boom") }))).toEqual([{ title: "خطای سامانه · آرمان" }]);
  });

  it("before sign-in carry the portal's name", () => {
    const signedOut = args("fa", { matches: [args("fa").matches[0]] });
    expect(pageTitle("auth:forgot_title")(signedOut)).toEqual([{ title: "بازیابی گذرواژه · پرتال شرکای فروش" }]);
  });

  const routes = new URL("../../app/routes/", import.meta.url);
  const pages = readdirSync(routes)
    .map((file) => ({ file, source: readFileSync(new URL(file, routes), "utf8") }))
    .filter((r) => /^export default function/m.test(r.source) && r.file !== "_app.tsx");

  it.each(pages.map((p) => [p.file, p.source]))("%s exports a page title", (_file, source) => {
    expect(source).toMatch(/^export const meta = pageTitle(<typeof loader>)?\(/m);
  });

  it("static titles differ from page to page and are translated", () => {
    const keys = pages.flatMap((p) => /^export const meta = pageTitle\("([^"]+)"\)/m.exec(p.source)?.[1] ?? []);
    expect(keys.length).toBeGreaterThan(30);
    const page = (locale: "fa" | "en", key: string) => (pageTitle(key)(args(locale))[0] as { title: string }).title.split(" · ")[0];
    const titles = { fa: keys.map((k) => page("fa", k)), en: keys.map((k) => page("en", k)) };
    expect(new Set(titles.fa).size).toBe(keys.length);
    expect(new Set(titles.en).size).toBe(keys.length);
    keys.forEach((key, i) => {
      expect(titles.fa[i], key).toMatch(/[\u0600-\u06FF]/);
      expect(titles.en[i], key).toMatch(/^[^\u0600-\u06FF]+$/);
    });
  });
});

describe("server error log", () => {
  const request = (path: string) => new Request(`http://localhost${path}`);
  const loaderArgs = (path: string) => ({ request: request(path), params: {}, context: {} });

  // The server entry pulls in the whole server build: on a loaded machine its import alone can take
  // longer than a test's 5 s, so it is imported once, with a longer limit of its own.
  let handleError: typeof HandleError;
  beforeAll(async () => {
    ({ handleError } = await import("~/entry.server"));
  }, 60_000);

  it("writes a refusal in one line without a stack, and a failure with its stack", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // What Remix hands over for a 404 thrown by a loader (an error response: status, text, data).
      handleError({ status: 404, statusText: "Not Found", internal: false, data: null }, loaderArgs("/no-such-page"));
      expect(warn.mock.calls).toEqual([["404 GET /no-such-page"]]);
      const failure = new Error("database on fire");
      handleError(failure, loaderArgs("/customers"));
      expect(error.mock.calls).toEqual([[failure]]);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
