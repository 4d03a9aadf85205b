import { NEED_STATUSES, VALUE_TIERS, type NeedStatus, type ValueTier } from "#db/schema";
import type { Locale } from "~/domain/format";
import { PROVINCES, type Province } from "~/domain/provinces";
import { toDisplayForm } from "~/domain/text";
import { queryDate, type FieldErrors } from "~/utils/validation";

export const CUSTOMER_SORTS = ["name", "recent_contact", "value"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

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

const FILTER_PARAMS = ["q", "needCategory", "needStatus", "valueTier", "province", "contactFrom", "contactTo", "partnerId", "sort"] as const;

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined => (values.includes(v as T) ? (v as T) : undefined);
const idParam = (v: string | null) => (v && /^[0-9A-Z]{26}$/i.test(v) ? v : undefined);

/**
 * Reads filters from a query string. Unknown values are dropped; dates typed by the user (Jalali
 * for fa) that are impossible come back as field errors. `canonical` holds only what was understood,
 * which is what a saved segment stores.
 */
export function parseCustomerFilters(params: URLSearchParams, locale: Locale): { filters: CustomerFilters; errors: FieldErrors; canonical: URLSearchParams } {
  const errors: FieldErrors = {};
  const date = (name: string) => queryDate(params, name, locale, errors);
  const q = toDisplayForm(params.get("q") ?? "").slice(0, 100) || undefined;
  const contactTo = date("contactTo");
  const filters: CustomerFilters = {
    q,
    needCategory: idParam(params.get("needCategory")),
    needStatus: oneOf(NEED_STATUSES, params.get("needStatus")),
    valueTier: oneOf([...VALUE_TIERS, "none"], params.get("valueTier")),
    province: oneOf(PROVINCES, params.get("province")),
    contactFrom: date("contactFrom"),
    // "to" is inclusive: the whole of that day.
    contactTo: contactTo && new Date(contactTo.getTime() + 86_400_000),
    partnerId: idParam(params.get("partnerId")),
    sort: oneOf(CUSTOMER_SORTS, params.get("sort")) ?? "name",
  };
  const canonical = new URLSearchParams();
  for (const name of FILTER_PARAMS) {
    const raw = params.get(name)?.trim();
    if (raw && !errors[name] && (name === "contactFrom" || name === "contactTo" ? true : filters[name] !== undefined)) canonical.set(name, raw);
  }
  if (canonical.get("sort") === "name") canonical.delete("sort");
  return { filters, errors, canonical };
}
