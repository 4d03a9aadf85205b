import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TRUTH_HORIZON_DAYS } from "~/domain/insights";
import { getLocale, i18nServer } from "~/i18n.server";
import { activeProducts, needCategories } from "~/models/customer-activity.server";
import { parseInsightFilters } from "~/models/insights/filters";
import { threeTruths } from "~/models/insights/truths.server";
import { DataTable } from "~/ui/data-table";
import { useFormat, useMoney } from "~/ui/format";
import { pageTitle } from "~/ui/page-title";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { ID_PATTERN, type FieldErrors } from "~/utils/validation";

export const meta = pageTitle("insights:truths.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "insights.view");
  const locale = await getLocale(request);
  const params = new URL(request.url).searchParams;
  const { filters, errors } = parseInsightFilters(params, locale);
  // ?category=<id> or ?product=<id>; the chooser on this page sends ?subject=category:<id> (or product:<id>).
  const [kind, chosenId] = (params.get("subject") ?? "").split(":");
  const category = params.get("category")?.trim() || (kind === "category" ? chosenId : null) || null;
  const product = params.get("product")?.trim() || (kind === "product" ? chosenId : null) || null;
  const subjectErrors: FieldErrors = {};
  if ((category && product) || (category && !ID_PATTERN.test(category)) || (product && !ID_PATTERN.test(product))) subjectErrors.subject = { key: "insights:errors.subject" };
  const [categories, products] = await Promise.all([needCategories(actor.brandId), activeProducts(actor.brandId)]);
  const allErrors = { ...errors, ...subjectErrors };
  if (Object.keys(allErrors).length > 0) {
    const t = await i18nServer.getFixedT(locale, "insights");
    return data({ categories, products, truths: null, errors: allErrors, message: t("bad_filters") }, { status: 400 });
  }
  const subject = category ? { category } : product ? { product } : null;
  const truths = subject ? await threeTruths(actor, subject, filters) : null;
  invariantResponse(!subject || truths, 404);
  return { categories, products, truths, errors: allErrors, message: null };
}

export default function Truths() {
  const { t, i18n } = useTranslation("insights");
  const { categories, products, truths, errors, message } = useLoaderData<typeof loader>();
  const fa = i18n.language !== "en";
  const params = new URLSearchParams(useLocation().search);
  const chosen = params.get("category") ? `category:${params.get("category")}` : params.get("product") ? `product:${params.get("product")}` : (params.get("subject") ?? "");
  return (
    <>
      <div className="page-head">
        <h1>{truths ? t("truths.heading", { name: fa ? truths.subject.nameFa : truths.subject.nameEn }) : t("truths.title")}</h1>
        <div className="actions">
          <Link className="button secondary" to="/insights">
            {t("title")}
          </Link>
        </div>
      </div>
      {message ? <p role="alert" className="alert error">{message} {errors.subject ? t(errors.subject.key.replace("insights:", "")) : null}</p> : null}
      <Form method="get" className="filters card" role="search">
        <div className="field">
          <label htmlFor="subject">{t("truths.choose")}</label>
          <select id="subject" name="subject" defaultValue={chosen}>
            <optgroup label={t("truths.categories")}>
              {categories.map((c) => (
                <option key={c.id} value={`category:${c.id}`}>{fa ? c.name_fa : c.name_en}</option>
              ))}
            </optgroup>
            <optgroup label={t("truths.products")}>
              {products.map((p) => (
                <option key={p.id} value={`product:${p.id}`}>{`${fa ? p.name_fa : p.name_en} (${p.sku})`}</option>
              ))}
            </optgroup>
          </select>
        </div>
        <button type="submit">{t("truths.show")}</button>
      </Form>
      {truths ? <Panels truths={truths} /> : <><p className="muted">{t("truths.choose_hint")}</p><SubjectLinks categories={categories} /></>}
    </>
  );
}

function SubjectLinks({ categories }: { categories: { id: string; name_fa: string; name_en: string }[] }) {
  const { t, i18n } = useTranslation("insights");
  return (
    <section className="card" aria-labelledby="categories-title">
      <h2 id="categories-title">{t("truths.categories")}</h2>
      <ul>
        {categories.map((c) => (
          <li key={c.id}>
            <Link to={`/insights/truths?category=${c.id}`} className="tap">{i18n.language === "en" ? c.name_en : c.name_fa}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

type TruthsData = NonNullable<Awaited<ReturnType<typeof useLoaderData<typeof loader>>>["truths"]>;

function Panels({ truths }: { truths: TruthsData }) {
  const { t, i18n } = useTranslation("insights");
  const f = useFormat();
  const money = useMoney();
  const fa = i18n.language !== "en";
  const { customer, profit, capability, verdict, subject } = truths;
  const name = fa ? subject.nameFa : subject.nameEn;
  const statement =
    verdict.kind === "no_demand"
      ? t("truths.verdict.no_demand", { name })
      : verdict.kind === "no_products"
        ? t("truths.verdict.no_products", { name, demand: verdict.demand })
      : verdict.kind === "enough"
        ? t("truths.verdict.enough", { demand: verdict.demand, deliverable: verdict.deliverable, days: TRUTH_HORIZON_DAYS, date: f.date(verdict.shipBy) })
        : verdict.kind === "short"
          ? t("truths.verdict.short", { demand: verdict.demand, deliverable: verdict.deliverable, shortfall: verdict.shortfall, days: TRUTH_HORIZON_DAYS, date: f.date(verdict.honestDate) })
          : t("truths.verdict.cannot", { demand: verdict.demand, deliverable: verdict.deliverable, reason: t(`truths.reason.${verdict.reason}`) });
  const fact = (label: string, value: React.ReactNode) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <>
      <section className={`card verdict ${verdict.kind}`} aria-labelledby="verdict-title">
        <h2 id="verdict-title">{t("truths.verdict_title")}</h2>
        <p data-testid="capability-statement">{statement}</p>
        <p className="muted">{t("truths.basis", { days: TRUTH_HORIZON_DAYS })}</p>
      </section>
      <div className="truth-grid">
        <section className="card" aria-labelledby="customer-truth">
          <h2 id="customer-truth">{t("truths.customer")}</h2>
          <dl className="facts">
            {fact(t("truths.open_needs"), f.number(customer.openNeeds))}
            {fact(t("truths.met_needs"), f.number(customer.metNeeds))}
            {fact(t("truths.wanting_customers"), f.number(customer.customers))}
            {fact(t("truths.recent_units", { date: f.date(customer.recentFrom) }), f.number(customer.recentUnits))}
          </dl>
        </section>
        <section className="card" aria-labelledby="profit-truth">
          <h2 id="profit-truth">{t("truths.profit")}</h2>
          <dl className="facts">
            {fact(t("truths.orders_since", { date: f.date(profit.since) }), f.number(profit.orders))}
            {fact(t("truths.revenue"), money(profit.revenue))}
            {profit.margin !== null ? fact(t("truths.margin"), money(profit.margin)) : null}
            {fact(t("truths.wanted_ltv"), money(profit.wantedLtv))}
          </dl>
        </section>
        <section className="card" aria-labelledby="capability-truth">
          <h2 id="capability-truth">{t("truths.capability")}</h2>
          <dl className="facts">
            {fact(t("truths.free_stock"), f.number(capability.free))}
            {fact(t("truths.daily_capacity"), f.number(capability.dailyCapacity))}
            {fact(t("truths.lead_time"), t("truths.days", { count: capability.leadTimeDays }))}
            {fact(t("truths.on_time"), capability.shipped ? t("truths.on_time_value", { onTime: capability.onTime, shipped: capability.shipped, percent: capability.onTimePercent }) : t("truths.none_shipped"))}
          </dl>
        </section>
      </div>
      <section className="card" aria-labelledby="products-title">
        <h2 id="products-title">{t("truths.products_table")}</h2>
        <DataTable
          rows={capability.products}
          rowKey={(p) => p.id}
          columns={[
            { header: t("product"), cell: (p) => <bdi dir="auto">{fa ? p.nameFa : p.nameEn}</bdi> },
            { header: t("truths.sku"), cell: (p) => <bdi dir="ltr">{p.sku}</bdi> },
            { header: t("truths.fulfilment"), cell: (p) => t(`catalog:fulfilments.${p.fulfilment}`) },
            { header: t("truths.free_stock"), numeric: true, cell: (p) => f.number(p.free) },
            { header: t("truths.daily_capacity"), numeric: true, cell: (p) => f.number(p.dailyCapacity) },
            { header: t("truths.lead_time"), numeric: true, cell: (p) => t("truths.days", { count: p.leadTimeDays }) },
          ]}
        />
      </section>
    </>
  );
}
