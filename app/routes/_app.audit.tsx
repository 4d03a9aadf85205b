import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { resources } from "~/i18n";
import { getLocale } from "~/i18n.server";
import { parseAuditFilters } from "~/models/audit-filters";
import { auditFilterOptions, listAudit } from "~/models/audit.server";
import { can } from "~/domain/permissions";
import { DateField } from "~/ui/date-field";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { pageParam } from "~/utils/request.server";

const ACTIONS = Object.keys(resources.fa.common.audit.actions);

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
      <table>
        <thead>
          <tr>
            <th>{t("audit.when")}</th>
            <th>{t("audit.who")}</th>
            <th>{t("audit.partner")}</th>
            <th>{t("audit.action")}</th>
            <th>{t("audit.target")}</th>
            <th>{t("audit.ip")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                {t("audit.empty")}
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.id}>
                <td>{f.dateTime(r.created_at)}</td>
                <td>{r.actor_name ?? "—"}</td>
                <td>{(fa ? r.partner_name_fa : r.partner_name_en) ?? "—"}</td>
                <td>{t(`audit.actions.${r.action}`, { defaultValue: r.action })}</td>
                <td>{r.target_type ? <bdi dir="ltr">{`${r.target_type}:${r.target_id}`}</bdi> : "—"}</td>
                <td>{r.ip ? <bdi dir="ltr">{r.ip}</bdi> : "—"}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <nav className="pagination" aria-label={t("pagination.label")}>
        {page > 1 ? <Link to={pageLink(page - 1)}>{t("pagination.prev")}</Link> : null}
        {hasMore ? <Link to={pageLink(page + 1)}>{t("pagination.next")}</Link> : null}
      </nav>
    </>
  );
}
