import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";

export function Pagination({ page, pageCount, total }: { page: number; pageCount: number; total: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const location = useLocation();
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(p));
    return `?${params}`;
  };
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {page > 1 ? (
        <Link to={hrefFor(page - 1)} rel="prev">
          <span className="mirror">←</span> {t("pagination.prev")}
        </Link>
      ) : null}
      <span>{t("pagination.status", { page: f.number(page), pages: f.number(pageCount), total: f.number(total) })}</span>
      {page < pageCount ? (
        <Link to={hrefFor(page + 1)} rel="next">
          {t("pagination.next")} <span className="mirror">→</span>
        </Link>
      ) : null}
    </nav>
  );
}
