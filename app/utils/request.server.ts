import { z } from "zod";

/** Page number from the query string; anything odd means page 1. */
export function pageParam(url: URL): number {
  const n = Number(url.searchParams.get("page"));
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** A query-string value that must be one of a list, or undefined. */
export function enumParam<T extends readonly [string, ...string[]]>(url: URL, name: string, values: T): T[number] | undefined {
  const parsed = z.enum(values).safeParse(url.searchParams.get(name));
  return parsed.success ? parsed.data : undefined;
}

/** Only same-site paths, so a crafted link cannot bounce a user elsewhere after sign-in. */
export function safeRedirect(to: FormDataEntryValue | string | null, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  // Browsers drop tabs and line breaks inside a URL and read "\" as "/", so "/\t/evil.example"
  // or "/\\evil.example" would leave the site: refuse control characters and backslashes anywhere,
  // then make sure the path still resolves to this origin.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001F\u007F\\]/.test(to)) return fallback;
  const base = "http://same.site";
  const url = new URL(to, base);
  // The parsed form is percent-encoded (e.g. a Persian search), so it can go into a Location header.
  return url.origin === base ? url.pathname + url.search + url.hash : fallback;
}
