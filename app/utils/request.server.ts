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
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
