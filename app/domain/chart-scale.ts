// Axis arithmetic for the small SVG charts: a "nice" upper bound with round tick steps (1, 2, 2.5
// or 5 times a power of ten), and positions along an axis that may run right-to-left.
import { formatNumber, type Locale } from "./format";

export interface Ticks {
  max: number;
  step: number;
  values: number[];
}

/** Round ticks from 0 covering `max` in about `count` steps; an empty series still gets one step. */
export function niceTicks(max: number, count = 4): Ticks {
  if (!Number.isFinite(max) || max <= 0) return { max: 1, step: 1, values: [0, 1] };
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  const values: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) values.push(Number(v.toPrecision(12)));
  return { max: top, step, values };
}

/** A tick's label in the page's digits (Persian on fa), with thousands separators. */
export const tickLabel = (value: number, locale: Locale): string => formatNumber(Number.isInteger(value) ? value : Number(value.toFixed(1)), locale);

/**
 * Where the i-th of n points sits along a run of `length`: from the start edge, which is the right
 * one in a right-to-left chart, so time and categories read in the page's direction.
 */
export function position(i: number, n: number, length: number, rtl: boolean): number {
  const x = n <= 1 ? length / 2 : (i * length) / (n - 1);
  return rtl ? length - x : x;
}

/** A coordinate to a tenth of a unit: finer than a chart at its largest can show, and short in the page. */
export const px = (v: number): number => Math.round(v * 10) / 10;

/** A value's extent along an axis scaled to `ticks.max`. */
export const extent = (value: number, ticks: Ticks, length: number): number => (ticks.max > 0 ? (Math.max(0, value) / ticks.max) * length : 0);
