import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TIERS } from "#db/schema";
import { monthLabel } from "~/domain/insights";
import { getLocale, i18nServer } from "~/i18n.server";
import { parseInsightFilters } from "~/models/insights/filters";
import { insightData, insightsAsOf } from "~/models/insights/insights.server";
import { SHOWN_ROWS, TABLES, type Ctx, type InsightColumn, type TableKey } from "~/models/insights/tables";
import { DataTable } from "~/ui/data-table";
import { DateField } from "~/ui/date-field";
import { ErrorText } from "~/ui/form";
import { useFormat, useMoney } from "~/ui/format";
import { BarChart } from "~/ui/insights/bar-chart";
import { ChartPanel } from "~/ui/insights/chart-panel";
import { LineChart } from "~/ui/insights/line-chart";
import { pageTitle } from "~/ui/page-title";
import { useProvinceOptions } from "~/ui/provinces";
import { requirePermission } from "~/utils/auth.server";

export const meta = pageTitle("insights:title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "insights.view");
  const locale = await getLocale(request);
  const { filters, errors, query } = parseInsightFilters(new URL(request.url).searchParams, locale);
  const network = actor.scope === "network";
  if (Object.keys(errors).length > 0) {
    const t = await i18nServer.getFixedT(locale, "insights");
    return data({ ok: false as const, errors, message: t("bad_filters"), query, network }, { status: 400 });
  }
  const [{ tables, counts }, asOf] = await Promise.all([insightData(actor, filters, SHOWN_ROWS), insightsAsOf(actor.brandId)]);
  // Long tables show their first rows (the CSV export has every row) and say how many there are.
  return { ok: true as const, errors, query, network, tables: { ...tables, coverage: tables.coverage.slice(0, SHOWN_ROWS) }, counts, asOf };
}

type Loaded = Extract<Awaited<ReturnType<typeof loader>>, { ok: true }>;

/** The shared columns as DataTable columns: numbers in the page's digits, money in the brand's unit. */
function useColumns() {
  const { t, i18n } = useTranslation("insights");
  const f = useFormat();
  const money = useMoney();
  // A page's cells repeat a few words (value tiers, partner tiers): each looked up once.
  const words = new Map<string, string>();
  const word = (key: string) => words.get(key) ?? words.set(key, t(key)).get(key)!;
  const ctx: Ctx = { t: word, locale: i18n.language === "en" ? "en" : "fa" };
  return <T,>(columns: InsightColumn<T>[]) =>
    columns.map((c) => ({
      header: t(c.header),
      numeric: Boolean(c.kind),
      cell: (row: T) => {
        const v = c.value(row, ctx);
        return c.kind === "money" ? money(v) : c.kind ? f.number(v) : <bdi dir="auto">{v}</bdi>;
      },
    }));
}

export default function Insights() {
  const { t } = useTranslation("insights");
  const f = useFormat();
  const loaded = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("title")}</h1>
        <div className="actions">
          <Link className="button secondary" to="/insights/truths">
            {t("truths_link")}
          </Link>
        </div>
      </div>
      {loaded.ok ? <p className="muted">{loaded.asOf ? t("as_of", { date: f.dateTime(loaded.asOf) }) : t("never_built")}</p> : null}
      {!loaded.network ? <p className="muted">{t("scope_partner")}</p> : null}
      <Filters errors={loaded.errors} />
      {loaded.ok ? <Panels loaded={loaded} /> : <p role="alert" className="alert error">{loaded.message}</p>}
    </>
  );
}

export function Filters({ errors }: { errors: Record<string, { key: string }> }) {
  const { t } = useTranslation("insights");
  const provinces = useProvinceOptions();
  const params = new URLSearchParams(useLocation().search);
  const value = (name: string) => params.get(name) ?? "";
  const select = (name: string, label: string, options: { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={value(name)} {...(errors[name] ? { "aria-invalid": true, "aria-describedby": `e-${name}` } : {})}>
        <option value="">{t("all")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={`e-${name}`} error={errors[name]} />
    </div>
  );
  return (
    <Form method="get" className="filters card" role="search">
      <DateField name="from" label={t("from")} defaultValue={value("from")} errors={errors} />
      <DateField name="to" label={t("to")} defaultValue={value("to")} errors={errors} />
      {select("province", t("province_filter"), provinces)}
      {select("tier", t("tier_filter"), TIERS.map((tier) => ({ value: tier, label: t(`common:tiers.${tier}`) })))}
      <button type="submit">{t("common:filter")}</button>
    </Form>
  );
}

function Panels({ loaded }: { loaded: Loaded }) {
  const { t, i18n } = useTranslation("insights");
  const columns = useColumns();
  const fa = i18n.language !== "en";
  const { tables, counts, query } = loaded;
  const shownOf = (key: keyof typeof counts) => (counts[key] > tables[key].length ? <p className="muted">{t("shown_of", { shown: tables[key].length, count: counts[key] })}</p> : null);
  const csv = (key: TableKey) => `/insights.csv?${new URLSearchParams([...new URLSearchParams(query), ["table", key]])}`;
  const describe = (labels: string[], totals: number[]) => {
    if (labels.length === 0) return t("chart_empty");
    const top = totals.indexOf(Math.max(...totals));
    return t("chart_desc", { count: labels.length, top: labels[top], value: totals[top] });
  };
  const needsPanel = (key: "needs_category" | "needs_province" | "needs_product", label: (r: Loaded["tables"]["needs_category"][number]) => string) => {
    const rows = tables[key].slice(0, 12);
    const labels = rows.map(label);
    return (
      <ChartPanel
        id={key}
        title={t(`tables.${key}`)}
        csvHref={csv(key)}
        chart={
          <BarChart
            title={t(`tables.${key}`)}
            desc={describe(labels, rows.map((r) => r.open + r.met + r.declined))}
            labels={labels}
            series={[{ name: t("open") }, { name: t("met") }, { name: t("declined") }]}
            values={rows.map((r) => [r.open, r.met, r.declined])}
          />
        }
        table={
          <>
            <DataTable rows={tables[key]} rowKey={(r) => r.key} columns={columns(TABLES[key])} caption={t(`tables.${key}`)} />
            {shownOf(key)}
          </>
        }
      />
    );
  };
  const months = tables.trend.map((m) => monthLabel(m.month, fa ? "fa" : "en"));
  const coverageTop = tables.coverage.slice(0, 12);
  const coverageLabels = coverageTop.map((r) => (r.nameFa === null ? t("brand_records") : fa ? r.nameFa : (r.nameEn ?? r.nameFa)));
  const tierLabels = tables.value.map((r) => (r.tier ? t(`customers:tier.${r.tier}`) : t("not_valued")));
  return (
    <>
      <p className="muted">{t("months_note")}</p>
      {needsPanel("needs_category", (r) => (fa ? r.nameFa : r.nameEn))}
      {needsPanel("needs_province", (r) => t(`common:provinces.${r.key}`))}
      {needsPanel("needs_product", (r) => (fa ? r.nameFa : r.nameEn))}
      <ChartPanel
        id="trend"
        title={t("tables.trend")}
        csvHref={csv("trend")}
        chart={
          <LineChart
            title={t("tables.trend")}
            desc={months.length ? t("trend_desc", { count: months.length, first: months[0], last: months[months.length - 1] }) : t("chart_empty")}
            labels={months}
            series={[{ name: t("needs_recorded") }, { name: t("needs_met_since") }, { name: t("orders") }]}
            values={tables.trend.map((m) => [m.needs, m.met, m.orders])}
          />
        }
        table={<DataTable rows={tables.trend} rowKey={(r) => r.month} columns={columns(TABLES.trend)} caption={t("tables.trend")} />}
      />
      <ChartPanel
        id="value"
        title={t("tables.value")}
        csvHref={csv("value")}
        chart={
          <BarChart
            title={t("tables.value")}
            desc={describe(tierLabels, tables.value.map((r) => r.customers))}
            labels={tierLabels}
            series={[{ name: t("active") }, { name: t("customers") }]}
            values={tables.value.map((r) => [r.active, r.customers - r.active])}
          />
        }
        table={<DataTable rows={tables.value} rowKey={(r) => r.tier} columns={columns(TABLES.value)} caption={t("tables.value")} />}
      />
      <section className="card" aria-labelledby="top-title">
        <div className="page-head">
          <h2 id="top-title">{t("tables.top")}</h2>
          <a className="button secondary" href={csv("top")} download>{t("csv")}</a>
        </div>
        <DataTable rows={tables.top} rowKey={(r) => r.id} columns={linked(columns(TABLES.top))} />
      </section>
      <section className="card" aria-labelledby="lapsing-title">
        <div className="page-head">
          <h2 id="lapsing-title">{t("tables.lapsing")}</h2>
          <a className="button secondary" href={csv("lapsing")} download>{t("csv")}</a>
        </div>
        <p className="muted">{t("lapsing_note")}</p>
        <DataTable rows={tables.lapsing} rowKey={(r) => r.id} columns={linked(columns(TABLES.lapsing))} />
      </section>
      <ChartPanel
        id="coverage"
        title={t("tables.coverage")}
        csvHref={csv("coverage")}
        chart={
          <BarChart
            title={t("tables.coverage")}
            desc={describe(coverageLabels, coverageTop.map((r) => r.customers))}
            labels={coverageLabels}
            series={[{ name: t("active") }, { name: t("customers") }]}
            values={coverageTop.map((r) => [r.active, r.customers - r.active])}
          />
        }
        table={
          <>
            <DataTable rows={tables.coverage} rowKey={(r) => r.partnerId} columns={columns(TABLES.coverage)} caption={t("tables.coverage")} />
            {shownOf("coverage")}
          </>
        }
      />
      <section className="card" aria-labelledby="coverage-tier-title">
        <div className="page-head">
          <h2 id="coverage-tier-title">{t("tables.coverage_tier")}</h2>
          <a className="button secondary" href={csv("coverage_tier")} download>{t("csv")}</a>
        </div>
        <DataTable rows={tables.coverage_tier} rowKey={(r) => r.tier ?? ""} columns={columns(TABLES.coverage_tier)} />
      </section>
    </>
  );
}

/** The customer's name links to their profile (the profile itself applies the tenant rules again). */
function linked<T extends { id: string; name: string }>(columns: { header: string; numeric: boolean; cell: (row: T) => React.ReactNode }[]) {
  return columns.map((c, i) =>
    i === 0
      ? {
          ...c,
          cell: (row: T) => (
            <Link to={`/customers/${row.id}`}>
              <bdi dir="auto">{row.name}</bdi>
            </Link>
          ),
        }
      : c,
  );
}
