import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { resources } from "~/i18n";
import { getLocale } from "~/i18n.server";
import { parseAuditFilters } from "~/models/audit-filters";
import { auditFilterOptions, listAudit } from "~/models/audit.server";
import { can } from "~/domain/permissions";
import { DataTable } from "~/ui/data-table";
import { DateField } from "~/ui/date-field";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { pageParam } from "~/utils/request.server";
import { pageTitle } from "~/ui/page-title";

const ACTIONS = Object.keys(resources.fa.common.audit.actions);

export const meta = pageTitle("audit.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "audit.view");
  const url = new URL(request.url);
  const page = pageParam(url);
  const { filters, errors, canonical } = parseAuditFilters(url.searchParams, await getLocale(request));
  const [list, options] = await Promise.all([listAudit(actor, filters, page), auditFilterOptions(actor)]);
  return { page, ...list, ...options, errors, canonical: canonical.toString(), canFilter: can(actor, "audit.export") };
}

export default function Audit() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { rows, page, hasMore, users, partners, errors, canonical, canFilter } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(useLocation().search);
  const value = (name: string) => params.get(name) ?? "";
  const fa = i18n.language === "fa";
  const pageLink = (n: number) => `?${new URLSearchParams([...new URLSearchParams(canonical), ["page", String(n)]])}`;
  return (
    <>
      <div className="page-head">
        <h1>{t("audit.title")}</h1>
        {canFilter ? (
          <div className="actions">
            <a className="button secondary" href={`/audit.csv?${canonical}`} download>
              {t("audit.export")}
            </a>
          </div>
        ) : null}
      </div>
      {canFilter ? (
        <Form method="get" className="filters card" role="search">
          <div className="field">
            <label htmlFor="action">{t("audit.filter_action")}</label>
            <select id="action" name="action" defaultValue={value("action")}>
              <option value="">{t("audit.all")}</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>{t(`audit.actions.${a}`)}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="user">{t("audit.filter_user")}</label>
            <select id="user" name="user" defaultValue={value("user")}>
              <option value="">{t("audit.all")}</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>{`${u.display_name} (${u.email})`}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="partner">{t("audit.filter_partner")}</label>
            <select id="partner" name="partner" defaultValue={value("partner")}>
              <option value="">{t("audit.all")}</option>
              {partners.map((p) => (
                <option key={p.id} value={p.id}>{fa ? p.name_fa : p.name_en}</option>
              ))}
            </select>
          </div>
          {(["from", "to"] as const).map((name) => (
            <DateField key={name} name={name} label={t(`audit.${name}`)} defaultValue={value(name)} errors={errors} />
          ))}
          <button type="submit">{t("filter")}</button>
        </Form>
      ) : null}
      <DataTable
        rows={rows}
        rowKey={(r) => r.id}
        empty={t("audit.empty")}
        columns={[
          { header: t("audit.when"), cell: (r) => f.dateTime(r.created_at) },
          { header: t("audit.who"), cell: (r) => r.actor_name ?? "—" },
          { header: t("audit.partner"), cell: (r) => (fa ? r.partner_name_fa : r.partner_name_en) ?? "—" },
          { header: t("audit.action"), cell: (r) => t(`audit.actions.${r.action}`, { defaultValue: r.action }) },
          { header: t("audit.target"), cell: (r) => (r.target_type ? <bdi dir="ltr">{`${r.target_type}:${r.target_id}`}</bdi> : "—") },
          { header: t("audit.ip"), cell: (r) => (r.ip ? <bdi dir="ltr">{r.ip}</bdi> : "—") },
        ]}
      />
      <nav className="pagination" aria-label={t("pagination.label")}>
        {page > 1 ? <Link to={pageLink(page - 1)}>{t("pagination.prev")}</Link> : null}
        {hasMore ? <Link to={pageLink(page + 1)}>{t("pagination.next")}</Link> : null}
      </nav>
    </>
  );
}
