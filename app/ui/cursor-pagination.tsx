import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * "Previous / next" links for a list read by cursor (keyset pagination), with the total, which is
 * exact up to a cap and "more than …" beyond. Plain links: they work without JavaScript.
 */
export function CursorPagination({ prev, next, total, capped }: { prev: string | null; next: string | null; total: number; capped: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  const hrefFor = (name: "after" | "before", cursor: string) => {
    const params = new URLSearchParams(location.search);
    for (const old of ["page", "after", "before"]) params.delete(old);
    params.set(name, cursor);
    return `?${params}`;
  };
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {prev ? (
        <Link to={hrefFor("before", prev)} rel="prev">
          <span className="mirror">←</span> {t("pagination.prev")}
        </Link>
      ) : null}
      <span>{capped ? t("pagination.more_than", { count: total }) : t("pagination.total", { count: total })}</span>
      {next ? (
        <Link to={hrefFor("after", next)} rel="next">
          {t("pagination.next")} <span className="mirror">→</span>
        </Link>
      ) : null}
    </nav>
  );
}
