import { NEED_STATUSES, VALUE_TIERS, type NeedStatus, type ValueTier } from "#db/schema";
import type { Locale } from "~/domain/format";
import { PROVINCES, type Province } from "~/domain/provinces";
import { charLength, toDisplayForm } from "~/domain/text";
import { queryDate, type FieldErrors } from "~/utils/validation";

export const CUSTOMER_SORTS = ["name", "recent_contact", "value"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const SEARCH_MAX_CHARS = 100;

/** One filter set serves the list, saved segments and exports alike. */
export interface CustomerFilters {
  q?: string;
  needCategory?: string;
  needStatus?: NeedStatus;
  /** "none": not yet valued (no orders to value yet). */
  valueTier?: ValueTier | "none";
  province?: Province;
  contactFrom?: Date;
  contactTo?: Date;
  partnerId?: string;
  sort: CustomerSort;
}

export const FILTER_PARAMS = ["q", "needCategory", "needStatus", "valueTier", "province", "contactFrom", "contactTo", "partnerId", "sort"] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

const oneOf = <T extends string>(values: readonly T[], v: string): T | undefined => (values.includes(v as T) ? (v as T) : undefined);
const idParam = (v: string) => (/^[0-9A-Z]{26}$/i.test(v) ? v : undefined);

/**
 * Reads filters from a query string. A value that is not one of the choices, an impossible date
 * (Jalali for fa) or a search that is too long comes back as a field error and filters nothing.
 * `canonical` holds only what was understood, which is what a saved segment stores.
 */
export function parseCustomerFilters(params: URLSearchParams, locale: Locale): { filters: CustomerFilters; errors: FieldErrors; canonical: URLSearchParams } {
  const errors: FieldErrors = {};
  const raw = (name: FilterParam) => params.get(name)?.trim() ?? "";
  const checked = <T>(name: FilterParam, read: (v: string) => T | undefined): T | undefined => {
    const value = raw(name);
    if (!value) return undefined;
    const result = read(value);
    if (result === undefined) errors[name] = { key: "customers:errors.filter_value", values: { value: Array.from(value).slice(0, 40).join("") } };
    return result;
  };
  const date = (name: FilterParam) => queryDate(params, name, locale, errors);
  const q = toDisplayForm(raw("q")) || undefined;
  if (q && charLength(q) > SEARCH_MAX_CHARS) errors.q = { key: "errors.too_long", values: { max: SEARCH_MAX_CHARS } };
  const contactTo = date("contactTo");
  const filters: CustomerFilters = {
    q: errors.q ? undefined : q,
    needCategory: checked("needCategory", idParam),
    needStatus: checked("needStatus", (v) => oneOf(NEED_STATUSES, v)),
    valueTier: checked("valueTier", (v) => oneOf([...VALUE_TIERS, "none"], v)),
    province: checked("province", (v) => oneOf(PROVINCES, v)),
    contactFrom: date("contactFrom"),
    // "to" is inclusive: the whole of that day.
    contactTo: contactTo && new Date(contactTo.getTime() + 86_400_000),
    partnerId: checked("partnerId", idParam),
    sort: checked("sort", (v) => oneOf(CUSTOMER_SORTS, v)) ?? "name",
  };
  const canonical = new URLSearchParams();
  for (const name of FILTER_PARAMS) if (raw(name) && !errors[name]) canonical.set(name, raw(name));
  if (canonical.get("sort") === "name") canonical.delete("sort");
  return { filters, errors, canonical };
}
