// The pure parts of the HTTP benchmark (bench/http.ts): percentiles from response times, the ratio
// to the baseline, what a query plan reads, and rewriting one section of docs/benchmarks.md.

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Latencies {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

export const latencies = (samples: readonly number[]): Latencies => ({
  n: samples.length,
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  p99: percentile(samples, 99),
});

/** A case's requests per second over its paired baseline's; NaN when the baseline answered nothing. */
export const ratio = (caseRps: number, baselineRps: number): number => (baselineRps > 0 ? caseRps / baselineRps : NaN);

/** The targets: at least 0.6× the baseline's req/s, and p95 at most 50 ms at a fixed 100 req/s. */
export const TARGET_RATIO = 0.6;
export const TARGET_P95_MS = 50;
export const meetsTargets = (r: number, fixedP95: number, p95Limit = TARGET_P95_MS) => r >= TARGET_RATIO && fixedP95 <= p95Limit;

/** One table access of a MariaDB `ANALYZE FORMAT=JSON` plan: what was read, how, and whether it was sorted. */
export interface Access {
  table: string;
  type: string;
  key: string | null;
  covering: boolean;
  /** The optimizer's estimate of rows per loop. */
  estimate: number;
  /** Rows actually read over all loops (r_rows × r_loops). */
  read: number;
  sorted: boolean;
}

export function accesses(node: unknown, out: Access[] = [], sorted = false): Access[] {
  if (Array.isArray(node)) {
    for (const x of node) accesses(x, out, sorted);
  } else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o.table_name === "string") {
      // const/system tables are read once while planning: no r_rows, r_loops 0.
      const planned = o.access_type === "const" || o.access_type === "system" || o.r_rows === undefined || o.r_rows === null;
      out.push({
        table: o.table_name,
        type: String(o.access_type ?? ""),
        key: typeof o.key === "string" ? o.key : null,
        covering: o.using_index === true,
        estimate: Number(o.rows ?? 0),
        read: planned ? Number(o.rows ?? 1) : Math.round(Number(o.r_rows) * Number(o.r_loops ?? 1)),
        sorted,
      });
    }
    for (const [k, v] of Object.entries(o)) accesses(v, out, sorted || k === "filesort");
  }
  return out;
}

/** "customers: customers_brand_name (range), 1,279 rows read; fn: full table scan, 120,309 rows read, filesort". */
export function describeAccesses(list: readonly Access[]): string {
  return list
    .map((a) => {
      const how = a.type === "ALL" ? "**full table scan**" : a.type === "index" ? `**full index scan** of ${a.key}` : `${a.key ?? "no index"} (${a.type}${a.covering ? ", covering" : ""})`;
      return `${a.table}: ${how}, ${a.read.toLocaleString("en")} rows read${a.sorted ? ", filesort" : ""}`;
    })
    .join("; ");
}

/**
 * Puts `section` (which starts with `<!-- name:size:start -->` and ends with `<!-- name:size:end -->`)
 * into `doc`: in place of the same size's section, else after the last section of that name, else
 * before the line `before` (or at the end). Everything else in the document is kept as it was.
 */
export function writeSection(doc: string, name: string, size: number, section: string, before?: string): string {
  const body = section.trim();
  const same = new RegExp(`<!-- ${name}:${size}:start -->[\\s\\S]*?<!-- ${name}:${size}:end -->`);
  if (same.test(doc)) return doc.replace(same, () => body);
  const any = new RegExp(`<!-- ${name}:(\\d+):start -->[\\s\\S]*?<!-- ${name}:\\1:end -->`, "g");
  const all = [...doc.matchAll(any)];
  if (all.length) {
    const last = all[all.length - 1];
    const end = (last.index ?? 0) + last[0].length;
    return `${doc.slice(0, end)}\n\n${body}${doc.slice(end)}`;
  }
  const at = before ? doc.indexOf(before) : -1;
  if (at >= 0) return `${doc.slice(0, at)}${body}\n\n${doc.slice(at)}`;
  return `${doc.trimEnd()}\n\n${body}\n`;
}
