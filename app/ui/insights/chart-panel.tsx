import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** A titled chart with a button that swaps it for its table (and back) and a CSV of the table. */
export function ChartPanel({ id, title, note, csvHref, chart, table }: { id: string; title: string; note?: ReactNode; csvHref: string; chart: ReactNode; table: ReactNode }) {
  const { t } = useTranslation("insights");
  const [view, setView] = useState<"chart" | "table">("chart");
  return (
    <section className="card chart-panel" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="actions">
          <button type="button" className="secondary" aria-controls={`${id}-body`} onClick={() => setView(view === "chart" ? "table" : "chart")}>
            {view === "chart" ? t("show_table") : t("show_chart")}
          </button>
          <a className="button secondary" href={csvHref} download>
            {t("csv")}
          </a>
        </div>
      </div>
      {note ? <p className="muted">{note}</p> : null}
      <div id={`${id}-body`}>{view === "chart" ? chart : table}</div>
    </section>
  );
}
