import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can } from "~/domain/permissions";
import { IDEA_SORTS, IDEA_STATUSES } from "~/domain/ideas";
import { ideaFormOptions, listIdeas } from "~/models/ideas/board.server";
import { parseBoardFilters } from "~/models/ideas/idea-forms";
import { DataTable } from "~/ui/data-table";
import { useFormat, useMoney } from "~/ui/format";
import { IdeaStatusBadge } from "~/ui/ideas/idea-cells";
import { pageTitle } from "~/ui/page-title";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { pageParam } from "~/utils/request.server";

export const meta = pageTitle("ideas:board.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "ideas.view");
  const url = new URL(request.url);
  const brandView = actor.scope === "network";
  const filters = parseBoardFilters(url.searchParams, brandView);
  const [result, { categories }] = await Promise.all([listIdeas(actor, filters, pageParam(url)), ideaFormOptions(actor.brandId)]);
  return { result, categories, filters, brandView, canPost: can(actor, "ideas.post"), canFollowUp: can(actor, "ideas.follow_up") };
}

export default function IdeasBoard() {
  const { t, i18n } = useTranslation("ideas");
  const f = useFormat();
  const money = useMoney();
  const { result, categories, filters, brandView, canPost, canFollowUp } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{t("board.title")}</h1>
        <div className="actions">
          {canPost ? <Link to="/ideas/new" className="button">{t("board.post")}</Link> : null}
          {canFollowUp ? <Link to="/ideas/built">{t("built.title")}</Link> : null}
        </div>
      </div>
      <p>{t("board.intro")}</p>
      <Form method="get" className="filters" role="search">
        <select name="status" defaultValue={filters.status ?? ""} aria-label={t("status")}>
          <option value="">{t("board.all_statuses")}</option>
          {IDEA_STATUSES.map((s) => (
            <option key={s} value={s}>{t(`statuses.${s}`)}</option>
          ))}
        </select>
        <select name="category" defaultValue={filters.categoryId ?? ""} aria-label={t("category")}>
          <option value="">{t("board.all_categories")}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>{fa ? c.name_fa : c.name_en}</option>
          ))}
        </select>
        <select name="sort" defaultValue={filters.sort} aria-label={t("board.sort")}>
          {IDEA_SORTS.filter((s) => s !== "value" || brandView).map((s) => (
            <option key={s} value={s}>{t(`board.sorts.${s}`)}</option>
          ))}
        </select>
        <button type="submit" className="secondary">{t("common:filter")}</button>
      </Form>
      <DataTable
        rows={result.rows}
        rowKey={(i) => i.id}
        empty={t("board.none")}
        columns={[
          { header: t("title"), cell: (i) => <Link to={`/ideas/${i.id}`}><bdi dir="auto">{i.title}</bdi></Link> },
          { header: t("category"), cell: (i) => (fa ? i.category_fa : i.category_en) },
          { header: t("status"), cell: (i) => <IdeaStatusBadge status={i.status} /> },
          { header: t("supports"), numeric: true, cell: (i) => (i.supported ? t("board.supports_with_yours", { count: i.supports }) : f.number(i.supports)) },
          { header: t("customers_asked"), numeric: true, cell: (i) => f.number(i.customers) },
          brandView && { header: t("customers_value"), numeric: true, cell: (i) => money(i.value ?? 0) },
          { header: t("posted_at"), cell: (i) => f.date(i.created_at) },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
