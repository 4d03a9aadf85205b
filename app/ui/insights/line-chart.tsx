import { useId } from "react";
import { extent, niceTicks, position, px, tickLabel } from "~/domain/chart-scale";
import { useFormat } from "~/ui/format";
import { Legend, pointTitle, type Series } from "./bar-chart";

const WIDTH = 640;
const HEIGHT = 240;
const AXIS = 56;
const TOP = 14;
const BOTTOM = 30;
const GAP = 14;

/**
 * Lines over months as an accessible image. Time runs in the page's direction: on a right-to-left
 * page the first month is on the right and the value axis stands on the right too. Each line's
 * points are one path, and each month a transparent column whose tooltip holds all its values.
 */
export function LineChart({ title, desc, labels, series, values }: { title: string; desc: string; labels: string[]; series: Series[]; values: number[][] }) {
  const f = useFormat();
  const rtl = f.locale === "fa";
  const id = useId();
  const ticks = niceTicks(Math.max(0, ...values.flat()));
  const plotW = WIDTH - AXIS - 2 * GAP;
  const plotH = HEIGHT - TOP - BOTTOM;
  const left = rtl ? GAP : AXIS + GAP;
  const xs = labels.map((_, i) => px(left + position(i, labels.length, plotW, rtl)));
  const y = (v: number) => px(TOP + plotH - extent(v, ticks, plotH));
  const every = Math.max(1, Math.ceil(labels.length / 6));
  const column = labels.length > 1 ? plotW / (labels.length - 1) : plotW;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-t ${id}-d`} direction="ltr" className="chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        <g aria-hidden="true" textAnchor="end">
          <path d={ticks.values.map((v) => `M${left} ${y(v)}H${left + plotW}`).join("")} className="chart-grid" />
          {ticks.values.map((v) => (
            <text key={v} x={rtl ? WIDTH - GAP / 2 : AXIS} y={y(v) + 4} className="chart-tick">
              {tickLabel(v, f.locale)}
            </text>
          ))}
        </g>
        <g aria-hidden="true" textAnchor="middle">
          {labels.map((label, i) =>
            i % every === 0 ? (
              <text key={i} x={xs[i]} y={HEIGHT - 8} className="chart-tick">
                {label}
              </text>
            ) : null,
          )}
        </g>
        {series.map((_, k) => {
          const points = xs.map((x, i) => `${x} ${y(values[i][k] ?? 0)}`);
          return (
            <g key={k} className={`series-${k}`}>
              <polyline points={points.join(" ")} className="chart-line" />
              <path d={points.map((p) => `M${p}h0`).join("")} className="chart-dots" />
            </g>
          );
        })}
        {labels.map((label, i) => (
          <rect key={i} x={px(xs[i] - column / 2)} y={TOP} width={px(column)} height={plotH} className="chart-hit">
            <title>{pointTitle(label, series, values[i], f)}</title>
          </rect>
        ))}
      </svg>
      <Legend series={series} />
    </figure>
  );
}
