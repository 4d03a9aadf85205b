// The columns of every insights table, shared by the page (DataTable) and its CSV export, so the
// file holds exactly the numbers the table shows. Headers are keys of the "insights" namespace.
import type { Locale } from "~/domain/format";
import { monthLabel } from "~/domain/insights";

export interface Ctx {
  t: (key: string) => string;
  locale: Locale;
}

export interface InsightColumn<T> {
  header: string;
  value: (row: T, ctx: Ctx) => string | number;
  kind?: "number" | "money" | "percent";
}

type Need = { key: string; nameFa: string; nameEn: string; open: number; met: number; declined: number };
type Month = { month: string; needs: number; met: number; orders: number; units: number; revenue: string };
type TierRow = { tier: string; customers: number; active: number; lapsing: number; ltv: string };
type Coverage = { partnerId: string; nameFa: string | null; nameEn: string | null; tier: string | null; customers: number; active: number; needs: number; toolkitUses: number; orders: number };
type CoverageTier = { tier: string | null; customers: number; active: number; needs: number; toolkitUses: number; orders: number };
type Listed = { id: string; name: string; tier: string; ltv: string; overdueDays: number | null; partnerFa: string | null; partnerEn: string | null };

const named = (r: { nameFa: string; nameEn: string }, { locale }: Ctx) => (locale === "fa" ? r.nameFa : r.nameEn);
const needCounts: InsightColumn<Need>[] = [
  { header: "open", value: (r) => r.open, kind: "number" },
  { header: "met", value: (r) => r.met, kind: "number" },
  { header: "declined", value: (r) => r.declined, kind: "number" },
];
// Coverage per partner and per partner tier count the same things.
const coverageCounts: InsightColumn<CoverageTier>[] = [
  { header: "customers", value: (r) => r.customers, kind: "number" },
  { header: "active", value: (r) => r.active, kind: "number" },
  { header: "needs_recorded", value: (r) => r.needs, kind: "number" },
  { header: "toolkit_uses", value: (r) => r.toolkitUses, kind: "number" },
  { header: "orders", value: (r) => r.orders, kind: "number" },
];
const valueTier = (tier: string, { t }: Ctx) => (tier ? t(`customers:tier.${tier}`) : t("insights:not_valued"));
const partnerName = (r: { partnerId?: string; nameFa: string | null; nameEn: string | null }, ctx: Ctx) => (r.nameFa === null ? ctx.t("insights:brand_records") : ctx.locale === "fa" ? r.nameFa : (r.nameEn ?? r.nameFa));
const partnerTier = (tier: string | null, { t }: Ctx) => (tier ? t(`common:tiers.${tier}`) : t("insights:brand_records"));

export const TABLES = {
  needs_category: [{ header: "category", value: named }, ...needCounts] as InsightColumn<Need>[],
  needs_province: [{ header: "province", value: (r, { t }) => t(`common:provinces.${r.key}`) }, ...needCounts] as InsightColumn<Need>[],
  needs_product: [{ header: "product", value: named }, ...needCounts] as InsightColumn<Need>[],
  trend: [
    { header: "month", value: (r, { locale }) => monthLabel(r.month, locale) },
    { header: "needs_recorded", value: (r) => r.needs, kind: "number" },
    { header: "needs_met_since", value: (r) => r.met, kind: "number" },
    { header: "orders", value: (r) => r.orders, kind: "number" },
    { header: "units", value: (r) => r.units, kind: "number" },
    { header: "revenue", value: (r) => r.revenue, kind: "money" },
  ] as InsightColumn<Month>[],
  value: [
    { header: "value_tier", value: (r, ctx) => valueTier(r.tier, ctx) },
    { header: "customers", value: (r) => r.customers, kind: "number" },
    { header: "active", value: (r) => r.active, kind: "number" },
    { header: "lapsing", value: (r) => r.lapsing, kind: "number" },
    { header: "ltv", value: (r) => r.ltv, kind: "money" },
  ] as InsightColumn<TierRow>[],
  coverage: [{ header: "partner", value: partnerName }, { header: "partner_tier", value: (r, ctx) => partnerTier(r.tier, ctx) }, ...coverageCounts] as InsightColumn<Coverage>[],
  coverage_tier: [{ header: "partner_tier", value: (r, ctx) => partnerTier(r.tier, ctx) }, ...coverageCounts] as InsightColumn<CoverageTier>[],
  top: [
    { header: "customer", value: (r) => r.name },
    { header: "value_tier", value: (r, ctx) => valueTier(r.tier, ctx) },
    { header: "ltv", value: (r) => r.ltv, kind: "money" },
    { header: "partner", value: (r, ctx) => partnerName({ nameFa: r.partnerFa, nameEn: r.partnerEn }, ctx) },
  ] as InsightColumn<Listed>[],
  lapsing: [
    { header: "customer", value: (r) => r.name },
    { header: "value_tier", value: (r, ctx) => valueTier(r.tier, ctx) },
    { header: "ltv", value: (r) => r.ltv, kind: "money" },
    { header: "overdue_days", value: (r) => r.overdueDays ?? 0, kind: "number" },
    { header: "partner", value: (r, ctx) => partnerName({ nameFa: r.partnerFa, nameEn: r.partnerEn }, ctx) },
  ] as InsightColumn<Listed>[],
};

export type TableKey = keyof typeof TABLES;
/** The rows a long table shows on the page ("first 20 of N"); its CSV export has every row. */
export const SHOWN_ROWS = 20;
export const TABLE_KEYS = Object.keys(TABLES) as TableKey[];
