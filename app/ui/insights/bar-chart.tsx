import { useId } from "react";
import { extent, niceTicks, px, tickLabel } from "~/domain/chart-scale";
import { useFormat } from "~/ui/format";

export interface Series {
  name: string;
}

const WIDTH = 640;
const LABEL = 170;
const ROW = 26;
const TOP = 22;
const GAP = 8;

/** What hovering a row (or a month) shows: its label and every series' value, in the page's digits. */
export function pointTitle(label: string, series: Series[], values: number[], f: Pick<ReturnType<typeof useFormat>, "locale" | "number">): string {
  return `${label} — ${series.map((s, k) => `${s.name}: ${f.number(values[k] ?? 0)}`).join(f.locale === "fa" ? "، " : ", ")}`;
}

/**
 * Horizontal stacked bars, one row per label, as an accessible image (role="img", title and a
 * description). On a right-to-left page the labels stand on the right and the bars grow leftwards,
 * so the chart reads in the page's direction; tick labels use the page's digits. The grid is one
 * path, and each row one tooltip with all its values, to keep the page light.
 */
export function BarChart({ title, desc, labels, series, values }: { title: string; desc: string; labels: string[]; series: Series[]; values: number[][] }) {
  const f = useFormat();
  const rtl = f.locale === "fa";
  const id = useId();
  const totals = values.map((v) => v.reduce((s, x) => s + x, 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const plot = WIDTH - LABEL - 2 * GAP;
  const x0 = rtl ? WIDTH - LABEL - GAP : LABEL + GAP;
  const at = (v: number) => px(rtl ? x0 - extent(v, ticks, plot) : x0 + extent(v, ticks, plot));
  const height = TOP + labels.length * ROW + GAP;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} direction="ltr" className="chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        <g aria-hidden="true" textAnchor="middle">
          <path d={ticks.values.map((v) => `M${at(v)} ${TOP - 4}V${height - GAP}`).join("")} className="chart-grid" />
          {ticks.values.map((v) => (
            <text key={v} x={at(v)} y={TOP - 8} className="chart-tick">
              {tickLabel(v, f.locale)}
            </text>
          ))}
        </g>
        {labels.map((label, i) => {
          const y = TOP + i * ROW;
          let start = 0;
          return (
            <g key={i}>
              <title>{pointTitle(label, series, values[i], f)}</title>
              <text x={rtl ? WIDTH - GAP : LABEL} y={y + ROW / 2 + 4} className="chart-label">
                {label.length > 24 ? `${label.slice(0, 23)}…` : label}
              </text>
              {series.map((_, k) => {
                const v = values[i][k] ?? 0;
                const a = at(start);
                const b = at(start + v);
                start += v;
                return v > 0 ? <rect key={k} x={Math.min(a, b)} y={y + 4} width={px(Math.abs(b - a))} height={ROW - 8} className={`series-${k}`} /> : null;
              })}
            </g>
          );
        })}
      </svg>
      {series.length > 1 ? <Legend series={series} /> : null}
    </figure>
  );
}

export function Legend({ series }: { series: Series[] }) {
  return (
    <figcaption className="chart-legend">
      {series.map((s, k) => (
        <span key={k}>
          <span className={`swatch series-${k}`} aria-hidden="true" />
          {s.name}
        </span>
      ))}
    </figcaption>
  );
}
