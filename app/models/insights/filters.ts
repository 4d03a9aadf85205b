import { TIERS, type Tier } from "#db/schema";
import type { Locale } from "~/domain/format";
import { jalaliMonthStart } from "~/domain/insights";
import { PROVINCES, type Province } from "~/domain/provinces";
import { queryDate, type FieldErrors } from "~/utils/validation";

/** What every insights view is narrowed by. Months are Jalali month starts ('YYYY-MM-DD'). */
export interface InsightFilters {
  fromMonth?: string;
  toMonth?: string;
  province?: Province;
  /** the partner's tier */
  tier?: Tier;
}

export const INSIGHT_FILTER_PARAMS = ["from", "to", "province", "tier"] as const;

/** The Tehran calendar day of a parsed date input (the instant of 00:00 in Tehran that day). */
const dayOf = (d: Date) => new Date(d.getTime() + 3.5 * 3_600_000).toISOString().slice(0, 10);

/**
 * Reads the filters of a query string. Dates are whole Jalali (fa) or Gregorian (en) days and
 * select the whole months they fall in, because the summaries count by month. Anything not
 * understood is a field error, and the page answers 400 with it.
 */
export function parseInsightFilters(params: URLSearchParams, locale: Locale): { filters: InsightFilters; errors: FieldErrors; query: string } {
  const errors: FieldErrors = {};
  const raw = (name: string) => params.get(name)?.trim() ?? "";
  const from = queryDate(params, "from", locale, errors);
  const to = queryDate(params, "to", locale, errors);
  if (from && to && from > to) errors.to = { key: "insights:errors.range" };
  const province = raw("province");
  if (province && !PROVINCES.includes(province as Province)) errors.province = { key: "errors.choice" };
  const tier = raw("tier");
  if (tier && !TIERS.includes(tier as Tier)) errors.tier = { key: "errors.choice" };
  const filters: InsightFilters = {
    fromMonth: from && !errors.from ? jalaliMonthStart(dayOf(from)) : undefined,
    toMonth: to && !errors.to ? jalaliMonthStart(dayOf(to)) : undefined,
    province: province && !errors.province ? (province as Province) : undefined,
    tier: tier && !errors.tier ? (tier as Tier) : undefined,
  };
  const kept = new URLSearchParams();
  for (const name of INSIGHT_FILTER_PARAMS) if (raw(name) && !errors[name]) kept.set(name, raw(name));
  return { filters, errors, query: kept.toString() };
}
