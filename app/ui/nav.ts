/**
 * The menu entry to highlight on a page: the most specific one whose address is the page's or
 * one of its parents ("/customers/today" is "today", not also "customers"); home only on itself.
 */
export function activeEntry(pathname: string, entries: readonly string[]): string | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const matching = entries.filter((to) => path === to || (to !== "/" && path.startsWith(`${to}/`)));
  return matching.sort((a, b) => b.length - a.length)[0];
}
