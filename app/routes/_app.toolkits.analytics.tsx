import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { toolkitAnalytics, toolkitUsage } from "~/models/toolkits/analytics.server";
import { ANALYTICS_WINDOWS } from "~/models/toolkits/forms";
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

function CountCells({ counts }: { counts: Record<(typeof KINDS)[number], number> }) {
  const f = useFormat();
  return (
    <>
      {KINDS.map((k) => (
        <td key={k}>{f.number(counts[k])}</td>
      ))}
    </>
  );
}

function CountHeads() {
  const { t } = useTranslation("toolkits");
  return (
    <>
      {KINDS.map((k) => (
        <th key={k}>{t(`analytics.${k}`)}</th>
      ))}
    </>
  );
}

export default function ToolkitAnalytics() {
  const { t, i18n } = useTranslation("toolkits");
  const f = useFormat();
  const { days, toolkitId, usage, detail } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  const selected = usage.find((u) => u.id === toolkitId);
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
      <table>
        <thead>
          <tr>
            <th>{t("title")}</th>
            <th>{t("status.label")}</th>
            <CountHeads />
          </tr>
        </thead>
        <tbody>
          {usage.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`?toolkit=${u.id}&days=${days}`}>{fa ? u.title_fa : u.title_en}</Link>
              </td>
              <td>{t(`status.${u.status}`)}</td>
              <CountCells counts={u.counts} />
            </tr>
          ))}
        </tbody>
      </table>
      {detail && selected ? (
        <section>
          <h2>{fa ? selected.title_fa : selected.title_en}</h2>
          <h3>{t("analytics.by_week")}</h3>
          <table>
            <thead>
              <tr>
                <th>{t("analytics.week_of")}</th>
                <CountHeads />
              </tr>
            </thead>
            <tbody>
              {detail.byWeek.map((w) => (
                <tr key={w.week}>
                  <td>{f.date(`${w.week}T12:00:00Z`)}</td>
                  <CountCells counts={w.counts} />
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("analytics.by_tier")}</h3>
          <table>
            <thead>
              <tr>
                <th>{t("analytics.tier")}</th>
                <CountHeads />
              </tr>
            </thead>
            <tbody>
              {detail.byTier.map((r) => (
                <tr key={r.tier}>
                  <td>{t(`common:tiers.${r.tier}`)}</td>
                  <CountCells counts={r.counts} />
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("analytics.by_template")}</h3>
          <table>
            <thead>
              <tr>
                <th>{t("analytics.template")}</th>
                <CountHeads />
              </tr>
            </thead>
            <tbody>
              {detail.byTemplate.map((r) => (
                <tr key={r.id}>
                  <td>{fa ? r.name_fa : r.name_en}</td>
                  <CountCells counts={r.counts} />
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("analytics.by_partner")}</h3>
          <table>
            <thead>
              <tr>
                <th>{t("analytics.partner")}</th>
                <th>{t("analytics.tier")}</th>
                <CountHeads />
              </tr>
            </thead>
            <tbody>
              {detail.byPartner.map((p) => (
                <tr key={p.id}>
                  <td>{fa ? p.name_fa : p.name_en}</td>
                  <td>{t(`common:tiers.${p.tier}`)}</td>
                  <CountCells counts={p.counts} />
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("analytics.never_opened", { count: detail.neverOpened.length })}</h3>
          <table>
            <thead>
              <tr>
                <th>{t("analytics.partner")}</th>
                <th>{t("analytics.tier")}</th>
                <th>{t("analytics.province")}</th>
              </tr>
            </thead>
            <tbody>
              {detail.neverOpened.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/partners/${p.id}`}>{fa ? p.name_fa : p.name_en}</Link>
                  </td>
                  <td>{t(`common:tiers.${p.tier}`)}</td>
                  <td>{t(`common:provinces.${p.province}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
