import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { toolkitAnalytics, toolkitUsage } from "~/models/toolkits/analytics.server";
import { ANALYTICS_WINDOWS } from "~/models/toolkits/forms";
import { DataTable, type Column } from "~/ui/data-table";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { ID_PATTERN } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("toolkits:analytics.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.analytics");
  const url = new URL(request.url);
  const days = url.searchParams.get("days") === "90" ? 90 : 30;
  const toolkitId = url.searchParams.get("toolkit");
  invariantResponse(!toolkitId || ID_PATTERN.test(toolkitId), 404);
  const [usage, detail] = await Promise.all([toolkitUsage(actor, days), toolkitId ? toolkitAnalytics(actor, toolkitId, days) : undefined]);
  invariantResponse(!toolkitId || detail, 404);
  return { days, toolkitId, usage, detail: detail ?? null };
}

const KINDS = ["view", "download", "render"] as const;
type Counted = { counts: Record<(typeof KINDS)[number], number> };

/** The three count columns every table on this page ends with. */
function useCountColumns() {
  const { t } = useTranslation("toolkits");
  const f = useFormat();
  return KINDS.map((k): Column<Counted> => ({ header: t(`analytics.${k}`), numeric: true, cell: (r) => f.number(r.counts[k]) }));
}

export default function ToolkitAnalytics() {
  const { t, i18n } = useTranslation("toolkits");
  const f = useFormat();
  const { days, toolkitId, usage, detail } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  const selected = usage.find((u) => u.id === toolkitId);
  const counts = useCountColumns();
  return (
    <>
      <h1>{t("analytics.title")}</h1>
      <Form method="get" className="filters">
        {toolkitId ? <input type="hidden" name="toolkit" value={toolkitId} /> : null}
        <select name="days" defaultValue={String(days)} aria-label={t("analytics.window")}>
          {ANALYTICS_WINDOWS.map((d) => (
            <option key={d} value={d}>{t("analytics.last_days", { count: d })}</option>
          ))}
        </select>
        <button type="submit">{t("common:filter")}</button>
      </Form>
      <DataTable
        rows={usage}
        rowKey={(u) => u.id}
        columns={[
          { header: t("title"), cell: (u) => <Link to={`?toolkit=${u.id}&days=${days}`}>{fa ? u.title_fa : u.title_en}</Link> },
          { header: t("status.label"), cell: (u) => t(`status.${u.status}`) },
          ...counts,
        ]}
      />
      {detail && selected ? (
        <section>
          <h2>{fa ? selected.title_fa : selected.title_en}</h2>
          <h3>{t("analytics.by_week")}</h3>
          <DataTable
            rows={detail.byWeek}
            rowKey={(w) => w.week}
            columns={[{ header: t("analytics.week_of"), cell: (w) => f.date(`${w.week}T12:00:00Z`) }, ...counts]}
          />
          <h3>{t("analytics.by_tier")}</h3>
          <DataTable
            rows={detail.byTier}
            rowKey={(r) => r.tier}
            columns={[{ header: t("analytics.tier"), cell: (r) => t(`common:tiers.${r.tier}`) }, ...counts]}
          />
          <h3>{t("analytics.by_template")}</h3>
          <DataTable
            rows={detail.byTemplate}
            rowKey={(r) => r.id}
            columns={[{ header: t("analytics.template"), cell: (r) => (fa ? r.name_fa : r.name_en) }, ...counts]}
          />
          <h3>{t("analytics.by_partner")}</h3>
          <DataTable
            rows={detail.byPartner}
            rowKey={(p) => p.id}
            columns={[{ header: t("analytics.partner"), cell: (p) => (fa ? p.name_fa : p.name_en) }, { header: t("analytics.tier"), cell: (p) => t(`common:tiers.${p.tier}`) }, ...counts]}
          />
          <h3>{t("analytics.never_opened", { count: detail.neverOpened.length })}</h3>
          <DataTable
            rows={detail.neverOpened}
            rowKey={(p) => p.id}
            columns={[
              { header: t("analytics.partner"), cell: (p) => <Link to={`/partners/${p.id}`}>{fa ? p.name_fa : p.name_en}</Link> },
              { header: t("analytics.tier"), cell: (p) => t(`common:tiers.${p.tier}`) },
              { header: t("analytics.province"), cell: (p) => t(`common:provinces.${p.province}`) },
            ]}
          />
        </section>
      ) : null}
    </>
  );
}
