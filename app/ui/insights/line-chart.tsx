import { useId } from "react";
import { extent, niceTicks, position, tickLabel } from "~/domain/chart-scale";
import { useFormat } from "~/ui/format";
import { Legend, type Series } from "./bar-chart";

const WIDTH = 640;
const HEIGHT = 240;
const AXIS = 56;
const TOP = 14;
const BOTTOM = 30;
const GAP = 14;

/**
 * Lines over months as an accessible image. Time runs in the page's direction: on a right-to-left
 * page the first month is on the right and the value axis stands on the right too.
 */
export function LineChart({ title, desc, labels, series, values }: { title: string; desc: string; labels: string[]; series: Series[]; values: number[][] }) {
  const f = useFormat();
  const rtl = f.locale === "fa";
  const id = useId();
  const ticks = niceTicks(Math.max(0, ...values.flat()));
  const plotW = WIDTH - AXIS - 2 * GAP;
  const plotH = HEIGHT - TOP - BOTTOM;
  const left = rtl ? GAP : AXIS + GAP;
  const x = (i: number) => left + position(i, labels.length, plotW, rtl);
  const y = (v: number) => TOP + plotH - extent(v, ticks, plotH);
  const every = Math.max(1, Math.ceil(labels.length / 6));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-t ${id}-d`} direction="ltr" className="chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {ticks.values.map((v) => (
          <g key={v} aria-hidden="true">
            <line x1={left} x2={left + plotW} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={rtl ? WIDTH - GAP / 2 : AXIS} y={y(v) + 4} textAnchor="end" className="chart-tick">
              {tickLabel(v, f.locale)}
            </text>
          </g>
        ))}
        {labels.map((label, i) =>
          i % every === 0 ? (
            <text key={i} x={x(i)} y={HEIGHT - 8} textAnchor="middle" className="chart-tick" aria-hidden="true">
              {label}
            </text>
          ) : null,
        )}
        {series.map((s, k) => (
          <g key={k} className={`series-${k}`}>
            <polyline fill="none" points={labels.map((_, i) => `${x(i)},${y(values[i][k] ?? 0)}`).join(" ")} className="chart-line" />
            {labels.map((label, i) => (
              <circle key={i} cx={x(i)} cy={y(values[i][k] ?? 0)} r={3}>
                <title>{`${label} — ${s.name}: ${f.number(values[i][k] ?? 0)}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <Legend series={series} />
    </figure>
  );
}
